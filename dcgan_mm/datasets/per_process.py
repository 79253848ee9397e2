"""A handle (lmdb environment, memory map) that every process opens for itself, on first use."""
import os
from collections.abc import Callable
from typing import Any


class PerProcessHandle:
    """Holds what ``opener()`` returns, reopened whenever the process id changes.

    DataLoader workers forked from a process that had opened an lmdb
    environment must not use it (lmdb forbids sharing an environment across
    fork, and refuses to open one twice in a process), and an open
    environment or memory map cannot be pickled for spawned workers. This
    holder pickles and deep-copies as its opener only, so each process opens
    its own handle lazily, when it first reads; an inherited handle is first
    released with ``closer``.

    Args:
        opener: A picklable callable (e.g. a ``functools.partial``) that opens the resource.
        closer: A picklable callable releasing an inherited handle before reopening
            (e.g. ``operator.methodcaller('close')``), or None.
    """

    def __init__(self, opener: Callable[[], Any], closer: Callable[[Any], None] | None = None):
        self.opener = opener
        self.closer = closer
        self._value = None
        self._pid: int | None = None

    def get(self) -> Any:
        """The resource, opened in this process."""
        if self._pid != os.getpid():
            if self._value is not None and self.closer is not None:
                self.closer(self._value)  # the parent's copy, unused here
            self._value, self._pid = None, None
            self._value, self._pid = self.opener(), os.getpid()
        return self._value

    def __getstate__(self) -> dict:
        return {'opener': self.opener, 'closer': self.closer, '_value': None, '_pid': None}

    def __deepcopy__(self, memo: dict) -> 'PerProcessHandle':
        return PerProcessHandle(self.opener, self.closer)
