"""'Did you mean ...?' for a misspelt name: registry entries, config arguments, model-zoo names."""
import difflib
from collections.abc import Iterable


def did_you_mean(name: str, valid: Iterable[str], n: int = 3, cutoff: float = 0.6) -> str:
    """A hint naming the valid names closest to ``name``, with a leading space; '' when none is close.

    Example:
        >>> did_you_mean('DCGANGenrator', ['DCGANGenerator', 'DCGANDiscriminator'])
        " Did you mean 'DCGANGenerator'?"
    """
    close = difflib.get_close_matches(name, list(valid), n=n, cutoff=cutoff)
    return f' Did you mean {" or ".join(map(repr, close))}?' if close else ''
