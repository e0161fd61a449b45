"""The one error type that carries a message for a person.

Services raise ``ApplicationError`` with a Danish sentence; screens show it as a form error and
the API returns it as a 400 with the same text. Nothing is changed when it is raised inside a
service's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ApplicationError(Exception):
    """``felt`` names the one field the message is about; ``felter`` carries every field's
    errors when a service checks a whole form at once (the person then sees all of them)."""

    def __init__(
        self,
        message: str,
        *,
        felt: str | None = None,
        felter: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.felt = felt
        self.felter = {navn: list(fejl) for navn, fejl in (felter or {}).items()}

    def __str__(self) -> str:
        return self.message


class ConflictError(ApplicationError):
    """Someone else changed the same thing first (row lock lost, state moved on)."""
