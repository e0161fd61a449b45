"""The one error type that carries a message for a person.

Services raise ``ApplicationError`` with a Danish sentence; screens show it as a form error and
the API returns it as a 400 with the same text. Nothing is changed when it is raised inside a
service's transaction.
"""

from __future__ import annotations


class ApplicationError(Exception):
    def __init__(self, message: str, *, felt: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.felt = felt

    def __str__(self) -> str:
        return self.message


class ConflictError(ApplicationError):
    """Someone else changed the same thing first (row lock lost, state moved on)."""
