"""Errors a user can fix. The tools print their message, without a traceback, and exit non-zero."""


class DcganError(Exception):
    """Base of the errors whose message tells the user what to do."""


class ConfigError(DcganError, ValueError):
    """A config value is missing, misspelt or inconsistent."""


class DataError(DcganError, RuntimeError):
    """The data a config points at is missing, empty or unreadable."""


class CheckpointError(DcganError, RuntimeError):
    """A checkpoint is corrupt, unsafe, or belongs to another model."""
