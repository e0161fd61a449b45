"""The kommune of the assertion bounds what a person sees (DESIGN §4.3, issue #21).

The tenancy walk of ``tests/test_kommuneadskillelse.py`` again, with people who exist only
because the kommune's login created them: an Odense person with every kommune role, logged on
through the test IdP, reaches none of København's data through any URL, and changes none of it;
a København person logged on the same way does see it, so the walk reaches the objects.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ky_debitor.models import Bruger, Kommune
from ky_debitor.roles import Rolle

from ..saml_idp import gruppe, privilegium
from ..test_kommuneadskillelse import (
    Gennemgaaer,
    _fingerprint,
    _viser_koebenhavn,
    koebenhavns_urls,
    opret_koebenhavns_data,
)
from .test_saml_login import KOMMUNE_ROLLER, idp_for, log_paa, logget_paa, rolletabel

# Logging off would end the walk's own session; it is tested on its own.
UDEN_FOR_GANGEN = {"logout", "admin:logout"}


@pytest.mark.slow
def test_a_saml_person_of_odense_sees_and_changes_nothing_of_koebenhavn(settings, tmp_path, bent):
    opret_koebenhavns_data(bent)
    rolletabel()
    odense = Gennemgaaer()
    idp = idp_for(settings, tmp_path, odense)
    alle_roller = [gruppe(*(privilegium(r, 461) for r in KOMMUNE_ROLLER), kommune=461)]
    assert log_paa(odense, idp, bruger="odense-saml", grupper=alle_roller).status_code == 302
    person = Bruger.objects.get(saml_name_id="odense-saml")
    assert person.kommune == Kommune.objects.get(kode=461) and person.is_staff

    kontrol = Gennemgaaer()
    kbh_roller = [gruppe(*(privilegium(r, 101) for r in KOMMUNE_ROLLER), kommune=101)]
    assert log_paa(kontrol, idp, bruger="kbh-saml", grupper=kbh_roller).status_code == 302
    borger_side = kontrol.get(reverse("borger_soeg"), {"q": "Xenia"})
    assert borger_side.status_code == 200

    koebenhavn = Kommune.objects.get(kode=101)
    urls = {n: u for n, u in koebenhavns_urls().items() if n not in UDEN_FOR_GANGEN}
    reached: set[str] = set()
    for name, concrete in urls.items():
        for url in concrete:
            svar = kontrol.get(url)
            if svar.status_code == 200 and _viser_koebenhavn(svar.content):
                reached.add(name)
    assert {"borger", "debitorkonto", "admin:fordringer_borger_change"} <= reached

    foer = _fingerprint(koebenhavn)
    for name, concrete in urls.items():
        for url in concrete:
            for metode in (odense.get, odense.post):
                svar = metode(url)
                laek = _viser_koebenhavn(svar.content)
                assert not laek, f"{metode.__name__.upper()} {url} ({name}) viste {laek}"
            assert logget_paa(odense), f"{url} ({name}) afsluttede Odense-personens session"
    assert _fingerprint(koebenhavn) == foer, "Odense ændrede Københavns data"
    assert not odense.beskeder_med_koebenhavn()
    assert set(person.groups.values_list("name", flat=True)) == {r.value for r in KOMMUNE_ROLLER}
    assert Rolle.NATIONAL.value not in set(person.groups.values_list("name", flat=True))
