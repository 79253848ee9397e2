"""'Did you mean ...?' for a misspelt name: registry entries, config arguments, model-zoo names."""
import difflib
import re
from collections.abc import Iterable

WORD_SEPARATORS = re.compile(r'[_\-.\s]+')


def did_you_mean(name: str, valid: Iterable[str], n: int = 3, cutoff: float = 0.6, by_words: bool = False) -> str:
    """A hint naming the valid names closest to ``name``, with a leading space; '' when none is close.

    Args:
        name: The name that matched nothing.
        valid: The names it could have meant.
        n: At most this many suggestions.
        cutoff: difflib's similarity threshold, in [0, 1].
        by_words: Suggest first the names that hold every word of ``name`` (split at ``_ - .`` and
            spaces, any case), so a part of a long name finds it: 'celeba' finds
            'dcgan_celeba-cropped_64'. The closest spellings are the fallback when none does.

    Example:
        >>> did_you_mean('DCGANGenrator', ['DCGANGenerator', 'DCGANDiscriminator'], n=1)
        " Did you mean 'DCGANGenerator'?"
    """
    valid = list(valid)
    words = [word for word in WORD_SEPARATORS.split(name.lower()) if word] if by_words else []
    close = [other for other in valid if words and all(word in other.lower() for word in words)][:n]
    close = close or difflib.get_close_matches(name, valid, n=n, cutoff=cutoff)
    return f' Did you mean {" or ".join(map(repr, close))}?' if close else ''
