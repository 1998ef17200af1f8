"""Exceptions raised by keel.

Every failure of keel's engines and use cases is a :class:`KeelError`. Its message is the engine's
sentence followed by one indented line per detail (``file:line:column: message`` for a bad cell,
a JSON field path for a bad document), so printing the exception shows every problem at once.
The subclasses also derive from the built-in exception a Python user would catch:

=====================  ===========================  ==========================================
class                  also a                       raised for
=====================  ===========================  ==========================================
InvalidInputError      ValueError                   bad values, bad files, bad tables
UsageError             ValueError                   missing or contradictory arguments
NotFoundError          LookupError                  unknown portfolio, scenario, file, store
ConflictError          KeelError                    already exists
InternalError          RuntimeError                 a bug or an environment failure
UnavailableError       RuntimeError                 a computation past its deadline
CancelledError         KeelError                    a computation that was asked to stop
=====================  ===========================  ==========================================
"""

from __future__ import annotations

from typing import Iterable, List


class KeelError(Exception):
    """Base class of keel's errors.

    Attributes:
        code: the category, as in keel's JSON errors (``"invalid_input"``, ``"not_found"``, ...).
        details: one string per problem (``"positions.csv:3:2: quantity: expected a number"``).
    """

    code = "internal"

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details: List[str] = list(details)


class InvalidInputError(KeelError, ValueError):
    code = "invalid_input"


class UsageError(KeelError, ValueError):
    code = "usage"


class NotFoundError(KeelError, LookupError):
    code = "not_found"


class ConflictError(KeelError):
    code = "conflict"


class InternalError(KeelError, RuntimeError):
    code = "internal"


class UnavailableError(KeelError, RuntimeError):
    code = "unavailable"


class CancelledError(KeelError):
    code = "cancelled"


_BY_CODE = {
    "invalid_input": InvalidInputError,
    "usage": UsageError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "unavailable": UnavailableError,
    "cancelled": CancelledError,
}


def from_keel(code: str, message: str, details: Iterable[str] = ()) -> KeelError:
    """The exception for a keel::Error of category ``code`` (used by the extension module)."""
    cls = _BY_CODE.get(code, InternalError)
    err = cls(message, details)
    err.code = code
    return err
