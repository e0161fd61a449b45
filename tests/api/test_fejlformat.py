"""Every API error is JSON in one Danish shape: a fault of ours (500) included, and input errors
in nested fields by their path, never as Python's rendering of DRF's error objects."""

from __future__ import annotations

import pytest

from fordringer.models import Ompostering

from ..fordringer.ompostering.ompostering_data import opret
from .conftest import api_som


@pytest.mark.urls("tests.api.fejl_urls")
def test_an_unexpected_error_is_a_danish_json_500_without_the_traceback(bent):
    client = api_som(bent)
    client.raise_request_exception = False

    svar = client.get("/api/v1/test/fejler/", {"cpr": "0101801234"})

    assert svar.status_code == 500
    assert svar["Content-Type"] == "application/json"
    assert svar.json() == {
        "detail": "Der opstod en uventet fejl på serveren. Prøv igen om lidt, eller kontakt "
        "driften, hvis fejlen bliver ved."
    }
    assert "0101801234" not in svar.content.decode()


def test_errors_in_nested_fields_are_named_by_path_in_danish(bent):
    s = opret(bent)
    svar = api_som(bent).post(
        "/api/v1/omposteringer/",
        {
            "daekninger": [s.daekning.pk],
            "aarsag": s.aarsag.pk,
            "til_borger": s.bo.pk,
            "fordeling": [{"fordring": s.fb.pk, "beloeb": "to hundrede"}],
            "udbetaling": {
                "beloeb": "300.00",
                "kanal": "NEMKONTO",
                "ny_modtager": {"identifikation": "12345674"},
            },
            "note": "Indbetalingen er omstødt af skifteretten.",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="omp-fejl",
    )

    assert svar.status_code == 400
    body = svar.json()
    assert body["detail"] == "Forespørgslen er ugyldig. Se fejlene pr. felt."
    assert set(body["felter"]) == {"fordeling.0.beloeb", "udbetaling.ny_modtager.navn"}
    assert body["felter"]["udbetaling.ny_modtager.navn"] == ["Dette felt er påkrævet."]
    assert "ErrorDetail" not in svar.content.decode()
    assert not Ompostering.objects.exists()
