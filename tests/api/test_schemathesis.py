"""Schemathesis against /api/schema/ on a live test server with a small demo kommune.

Every operation of the schema gets generated requests (valid ones: bodies, filters, ids and
headers drawn from the schema) sent over HTTP with a token of a role the permission table
allows for it. The answers must hold: no 5xx, and status codes, content types, headers and
bodies as the schema documents them. The number of generated cases is printed and bounded
(``EKSEMPLER`` per operation), so the run takes a minute or two.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from demo.services import demodata_generer
from ky_debitor.adgang import roller_for
from ky_debitor.api_noegler import api_noegle_opret
from ky_debitor.models import Kommune
from ky_debitor.roles import Rolle
from sagstilknytning.services import koer_synkront, koersel_opret

from ..factories import BrugerFactory

EKSEMPLER = 25
KONTROLLER = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _tokens() -> dict[Rolle, str]:
    koebenhavn = Kommune.objects.get(kode=101)
    # A key acts as its holder with a role the holder has: one person with every role.
    drift = BrugerFactory.create(username="fuzzdrift", kommune=koebenhavn, roller=list(Rolle))
    return {
        rolle: api_noegle_opret(user=drift, kommune=koebenhavn, rolle=rolle, navn=f"fuzz {rolle}")[
            1
        ]
        for rolle in Rolle
    }


def _rolle_for(sti: str) -> Rolle:
    """A role the table allows for the operation at ``sti`` (ids filled with 1)."""
    navn = resolve(sti.replace("{id}", "1")).view_name
    roller = roller_for(navn)
    assert roller, f"{sti} ({navn}) har ingen rolle i adgangstabellen"
    return next(r for r in Rolle if r in roller)


def _fuzz(operation: Any, token: str, base_url: str, tilfaelde: Counter[int]) -> None:
    """Send ``EKSEMPLER`` generated requests to one operation and check every answer."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EKSEMPLER,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def koer(case: schemathesis.Case) -> None:
        svar = case.call_and_validate(
            base_url=base_url, headers={"Authorization": f"Bearer {token}"}, checks=KONTROLLER
        )
        tilfaelde[svar.status_code] += 1

    koer()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_keeps_its_schema_under_generated_requests(live_server, settings_media):
    demodata_generer(kommunekode=101, konti=40, seed=3)
    koersel = koersel_opret(
        kommune=Kommune.objects.get(kode=101), user=None, proeve=False, chunk_stoerrelse=1000
    )
    koer_synkront(koersel_id=koersel.pk)
    tokens = _tokens()
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Bearer {tokens[Rolle.DRIFT]}"},
    )
    schema.config.base_url = live_server.url

    tilfaelde: Counter[int] = Counter()
    operationer = 0
    for resultat in schema.get_all_operations():
        assert isinstance(resultat, Ok), resultat.err()
        operation = resultat.ok()
        operationer += 1
        _fuzz(operation, tokens[_rolle_for(operation.path)], live_server.url, tilfaelde)

    antal = sum(tilfaelde.values())
    print(
        f"\nSchemathesis: {antal} genererede tilfælde over {operationer} operationer; "
        f"svarkoder {dict(sorted(tilfaelde.items()))}"
    )
    assert operationer >= 20
    assert antal >= operationer * 5
    assert not any(kode >= 500 for kode in tilfaelde)
    assert tilfaelde[200] > 0


@pytest.fixture
def settings_media(settings, tmp_path):
    """Exports ordered by the fuzzer are written to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
