"""Shared behaviour of the command-line tools: clean errors instead of tracebacks."""
import sys
from collections.abc import Callable

from dcgan_mm.errors import DcganError

EXIT_USER_ERROR = 1


def run_cli(main: Callable[[], object], debug: bool) -> None:
    """Run ``main``; print a user error's message (no traceback) and exit 1.

    Errors raised while building the components from the config (an unknown
    ``type``, a misspelt argument, a missing data folder) are user errors too:
    their message names what to fix. ``--debug`` shows the traceback instead.
    """
    try:
        main()
    except KeyboardInterrupt:
        print('Interrupted.', file=sys.stderr)
        sys.exit(130)
    except (DcganError, KeyError, TypeError, ValueError, FileNotFoundError, ImportError) as error:
        if debug:
            raise
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f'error: {message}\n(run again with --debug for the full traceback)', file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
