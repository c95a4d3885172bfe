"""One exception tree for samestory. Catch ``SamestoryError`` to catch them all::

    SamestoryError
    ├── InputError          an input could not be read (names the input, the record and the reason)
    │   ├── IngestError     unreadable file, archive, feed or JSONL record
    │   ├── FetchError      a URL could not or must not be fetched (refused, too big, timed out)
    │   └── ExtractError    no article text could be extracted from a page
    ├── ArgumentError       an argument or option value that is unknown or out of range (also a ValueError)
    │   └── ArgumentTypeError   an argument of the wrong type (also a TypeError)
    ├── StateError          a saved state of another version or shape (also a ValueError)
    ├── StoreError          the database could not be opened, migrated or written
    ├── ModelError          a required model package is missing or failed to load
    └── NotFoundError       a story, article or outlet id that is not in the store

Every message says what went wrong and, where it can, what to do about it.
"""

from __future__ import annotations

__all__ = [
    "SamestoryError",
    "InputError",
    "IngestError",
    "FetchError",
    "ExtractError",
    "ArgumentError",
    "ArgumentTypeError",
    "StateError",
    "StoreError",
    "ModelError",
    "NotFoundError",
]


class SamestoryError(Exception):
    """Base of every error samestory raises on purpose."""


class InputError(SamestoryError):
    """An input could not be read. ``source`` names the input, ``record`` the record inside it."""

    def __init__(self, source: str, reason: str, record: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.record = record
        where = f"{source}#{record}" if record else source
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # picklable, so it crosses from a worker process (web/compute.py, Dask)
        return type(self), (self.source, self.reason, self.record)


class IngestError(InputError):
    """A file, archive, feed or JSONL record that could not be read."""


class FetchError(InputError):
    """A URL that could not, or must not, be fetched."""


class ExtractError(InputError):
    """A page from which no article text could be extracted."""


class ArgumentError(SamestoryError, ValueError):
    """An argument or option value that is unknown or out of range. ``name`` names it.

    Also a ValueError, so code that caught the ValueError it used to be still catches it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")

    def __reduce__(self):
        return type(self), (self.name, self.reason)


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong type (also a TypeError, as it used to be)."""


class StateError(SamestoryError, ValueError):
    """A saved state (dedup index, boilerplate miner, clusterer) of another version or shape.

    Also a ValueError: loaders catch that to rebuild the state from scratch."""


class StoreError(SamestoryError):
    """The database could not be opened, migrated or written."""


class ModelError(SamestoryError):
    """A model package is missing or failed to load."""


class NotFoundError(SamestoryError):
    """An id that is not in the store."""
