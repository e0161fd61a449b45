"""The named people of the tests (healthchecks' ``hc/test.py`` style), one builder each.

A test reads like the seed it checks: "Bent books, Birgit approves, Olga in Odense sees
nothing". Each builder creates the person in the database with a fixed name, kommune and
role(s); keyword arguments override a field (``personas.dina(is_staff=True)``). The fixtures
in ``tests/conftest.py`` (and the few local ones) only call these.

København is kommune 101, Odense 461; a person without a kommune works nationally.
"""

from __future__ import annotations

from typing import Any

from ky_debitor.models import Bruger
from ky_debitor.roles import Rolle

from .factories import BrugerFactory, kommune

KOEBENHAVN = 101
ODENSE = 461


def person(
    username: str, roller: list[Rolle], kode: int | None = KOEBENHAVN, **felter: Any
) -> Bruger:
    """A person called ``username`` in kommune ``kode`` (None: national) with ``roller``."""
    felter = {"first_name": username.capitalize(), "last_name": "Testesen"} | felter
    return BrugerFactory.create(
        username=username,
        kommune=kommune(kode) if kode is not None else None,
        roller=roller,
        **felter,
    )


def _med(felter: dict[str, Any], **standard: Any) -> dict[str, Any]:
    """A builder's own defaults, under what the test asks for."""
    return standard | felter


# --- København ------------------------------------------------------------------------------


def alice(**felter: Any) -> Bruger:
    """Alice is a Sagsbehandler in København."""
    return person("alice", [Rolle.SAGSBEHANDLER], **felter)


def bent(**felter: Any) -> Bruger:
    """Bent is a Bogholder in København: he books and creates omposteringer."""
    return person("bent", [Rolle.BOGHOLDER], **felter)


def birgit(**felter: Any) -> Bruger:
    """Birgit is the second Bogholder in København: she approves what Bent creates."""
    return person("birgit", [Rolle.BOGHOLDER], **felter)


def bodil(**felter: Any) -> Bruger:
    """Bodil is both Drift and Bogholder in København: she may make Bogholder keys."""
    return person("bodil", [Rolle.DRIFT, Rolle.BOGHOLDER], **felter)


def carl(**felter: Any) -> Bruger:
    """Carl is another Sagsbehandler in København (Alice's and Sara's colleague)."""
    return person("carl", [Rolle.SAGSBEHANDLER], **_med(felter, last_name="Kollega"))


def dagmar(**felter: Any) -> Bruger:
    """Dagmar works in Drift in København and runs the linking from the admin."""
    return person("dagmar", [Rolle.DRIFT], **_med(felter, last_name="Drift", is_staff=True))


def dagny(**felter: Any) -> Bruger:
    """Dagny works in Drift in København and manages its users in the admin."""
    return person("dagny", [Rolle.DRIFT], **_med(felter, is_staff=True))


def dina(**felter: Any) -> Bruger:
    """Dina is Drift in København, and nothing else."""
    return person("dina", [Rolle.DRIFT], **felter)


def pia(**felter: Any) -> Bruger:
    """Pia is a Projektleder in København: she follows the packages and downloads reports."""
    return person("pia", [Rolle.PROJEKTLEDER], **_med(felter, last_name="Projektleder"))


def sara(**felter: Any) -> Bruger:
    """Sara is a Sagsbehandler in København (the browser tests' caseworker)."""
    return person("sara", [Rolle.SAGSBEHANDLER], **_med(felter, last_name="Sagsbehandler"))


def sune(**felter: Any) -> Bruger:
    """Sune is a Sagsbehandler in København with access to the admin."""
    return person("sune", [Rolle.SAGSBEHANDLER], **_med(felter, is_staff=True))


# --- Odense ---------------------------------------------------------------------------------


def olga(**felter: Any) -> Bruger:
    """Olga is a Sagsbehandler in Odense: she must never see København's data."""
    return person("olga", [Rolle.SAGSBEHANDLER], ODENSE, **felter)


def ole(**felter: Any) -> Bruger:
    """Ole works in Drift in Odense: København's runs are none of his business."""
    return person("ole", [Rolle.DRIFT], ODENSE, **_med(felter, is_staff=True))


def oskar(**felter: Any) -> Bruger:
    """Oskar is a Projektleder in Odense."""
    return person("oskar", [Rolle.PROJEKTLEDER], ODENSE, **felter)


def otto(**felter: Any) -> Bruger:
    """Otto works in Drift in Odense."""
    return person("otto", [Rolle.DRIFT], ODENSE, **_med(felter, is_staff=True))


# --- National -------------------------------------------------------------------------------


def nina(**felter: Any) -> Bruger:
    """Nina keeps the national tables (Landsadministrator); she belongs to no kommune."""
    return person("nina", [Rolle.NATIONAL], None, **felter)


def operatoer(**felter: Any) -> Bruger:
    """The platform operator: a superuser of no kommune, who makes keys and gives roles."""
    return person("operatoer", [], None, **_med(felter, is_superuser=True))
