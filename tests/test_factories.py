"""Every factory and each of its traits builds a row the database accepts (its check and
unique constraints included), so a test that asks for one gets a valid object."""

from __future__ import annotations

import factory
import pytest

from . import factories as f

TRAEK: list[tuple[type[factory.django.DjangoModelFactory], dict[str, bool]]] = [
    (f.KoerselFactory, {}),
    (f.KoerselFactory, {"venter": True}),
    (f.KoerselFactory, {"koerer": True}),
    (f.KoerselFactory, {"fejlet": True, "proevekoersel": True}),
    (f.KontoBeslutningFactory, {}),
    (f.KontoBeslutningFactory, {"sagstilknyttet": True}),
    (f.KontoBeslutningFactory, {"uaendret": True}),
    (f.OpgaveFactory, {}),
    (f.OpgaveFactory, {"med_daekninger": True}),
    (f.OpgaveFactory, {"daekninger": True}),
    (f.OpgaveFactory, {"i_gang": True}),
    (f.OpgaveFactory, {"lukket": True}),
    (f.OmposteringFactory, {}),
    (f.OmposteringFactory, {"til_anden_borger": True, "udbetalt_helt": True}),
    (f.OmposteringFactory, {"venter_helt": True, "rullet_tilbage": True}),
    (f.UdbetalingFactory, {}),
    (f.UdbetalingFactory, {"godkendt": True}),
    (f.UdbetalingFactory, {"afvist": True, "til_alternativ": True}),
    (f.UdgaaendeBeskedFactory, {}),
    (f.UdgaaendeBeskedFactory, {"sendt_ok": True}),
    (f.UdgaaendeBeskedFactory, {"fejlet": True}),
    (f.SamlingsbeslutningFactory, {}),
    (f.SamlingsbeslutningFactory, {"saml": True}),
    (f.SamlingsbeslutningFactory, {"frigiv": True}),
]


@pytest.mark.parametrize(
    ("fabrik", "traek"),
    TRAEK,
    ids=[f"{fabrik.__name__}-{'+'.join(traek) or 'standard'}" for fabrik, traek in TRAEK],
)
def test_each_factory_and_trait_builds_a_valid_row(db, fabrik, traek):
    obj = fabrik.create(**traek)
    obj.full_clean(validate_unique=True)
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert obj.kommune_id is not None


def test_two_tasks_of_one_kommune_share_its_packages(db):
    foerste, anden = f.OpgaveFactory.create_batch(2)
    assert foerste.pakke == anden.pakke
    assert foerste.pakke.kode == "FLERE_BEVILLINGER_UDEN"
