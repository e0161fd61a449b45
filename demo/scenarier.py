"""One small builder per linking scenario, each returning the konto's intended outcome.

A scenario builds a borger, his KY sager, bevillinger and one debitorkonto so that the rules of
DESIGN §5 give a known result by construction:

* per claim: data check (reference naming another borger's bevilling, period ending before it
  starts) → ``reference`` → ``reference_i_tekst`` → ``ydelse_og_periode``;
* per konto: all claims on one bevilling → linked to the bevilling's own sag, else to the
  borger's one open sag with that ydelseskode (``SAGSTILKNYTTET``), else a new sag
  (``SAGSOPRETTET``); two open sager → task ``FLERE_BEVILLINGER``; otherwise the first of
  ``DATAFEJL``, ``VENTER_PAA_DAEKNING``, ``BLANDEDE_BEVILLINGER``, ``FLERE_BEVILLINGER``,
  ``INGEN_BEVILLING``, ``MANGLER_REFERENCE``; linked with an unknown ydelseskode → linked and
  ``YDELSESTYPE_UKENDT``.

Combinations whose outcome a careful reader of §5 could argue about are never generated: a
bevilling's own sag is always open, claims always have both period dates, a konto always has
claims, an unknown ydelseskode never meets an open sag with an empty or the same unknown code
unless that sag is the bevilling's own, a VENTER_PAA_DAEKNING konto that resolves to one
bevilling always has an unambiguous sag, and a reference either names one of the borger's own
bevillinger, another borger's bevilling (DATAFEJL) or is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .bygger import (
    FOERSTE_MAANED,
    KY,
    SIDSTE_MAANED,
    UKENDTE_KODER,
    VENTER,
    Bevilling,
    Borger,
    Bygger,
    Krav,
    Tilfaeldig,
)

SAGSTILKNYTTET = "SAGSTILKNYTTET"
SAGSOPRETTET = "SAGSOPRETTET"
OPGAVE = "OPGAVE"
# KY konti are never linked by the run (DESIGN §5); the report calls that IKKE_KOERT (§6).
IKKE_KOERT = "IKKE_KOERT"

DATAFEJL = "DATAFEJL"
VENTER_PAA_DAEKNING = "VENTER_PAA_DAEKNING"
BLANDEDE_BEVILLINGER = "BLANDEDE_BEVILLINGER"
FLERE_BEVILLINGER = "FLERE_BEVILLINGER"
INGEN_BEVILLING = "INGEN_BEVILLING"
MANGLER_REFERENCE = "MANGLER_REFERENCE"
YDELSESTYPE_UKENDT = "YDELSESTYPE_UKENDT"

EGEN_SAG = "egen_sag"  # the bevilling has its own KY sag
AABEN_SAG = "aaben_sag"  # no own sag; the borger has one open sag with the code
NY_SAG = "ny_sag"  # no own sag and no open sag with the code
FLERE_SAGER = "flere_sager"  # no own sag; two open sager with the code

REFERENCE = "reference"
I_TEKST = "reference_i_tekst"
YDELSE_OG_PERIODE = "ydelse_og_periode"
BLANDET = "blandet"  # the three rules mixed, all pointing at the same bevilling


@dataclass(frozen=True, slots=True)
class Forventning:
    """The intended outcome of one konto (stored as ``DemoForventning``)."""

    kontonummer: str
    resultat: str
    aarsag: str
    bevillingsnummer: str
    sagsnummer: str
    scenarie: str


# --- shared pieces ------------------------------------------------------------------------------


def _sager(
    b: Bygger, borger: Borger, kode: str, maade: str, *, ukendt: bool = False
) -> tuple[str, str]:
    """Create the borger's KY sager for ``maade``.

    Returns the bevilling's own sagsnummer (or "") and the sagsnummer the konto is to be linked
    to (or "" for a new sag). Adds sager that must not change the outcome: a closed sag with the
    same code, an open sag with another code.
    """
    rng = b.rng
    egen = forventet = ""
    if maade == EGEN_SAG:
        egen = forventet = b.sag(borger, kode)
        if not ukendt and rng.random() < 0.15:
            b.sag(borger, kode)  # a second open sag: the bevilling's own still wins
    elif maade == AABEN_SAG:
        forventet = b.sag(borger, kode)
    elif maade == FLERE_SAGER:
        b.sag(borger, kode)
        b.sag(borger, kode)
    if rng.random() < 0.3:
        b.sag(borger, kode, aaben=False)
    if rng.random() < 0.2:
        b.sag(borger, b.kode_tilfaeldig(undtagen=(kode,)))
    return egen, forventet


def _periode(b: Bygger, *, fra_min: int, fra_max: int, loebende: float) -> tuple[int, int | None]:
    fra = b.rng.randint(fra_min, fra_max)
    if b.rng.random() < loebende:
        return fra, None
    return fra, fra + b.rng.randint(5, 36)


def _krav_under(b: Bygger, bevilling: Bevilling, evidens: str, antal: int) -> list[Krav]:
    """``antal`` claims inside ``bevilling``'s period that resolve to it by ``evidens``."""
    rng = b.rng
    lav, hoej = bevilling.kravvindue()
    krav = []
    for maaned in b.maaneder(lav, hoej, antal):
        regel = evidens
        if evidens == BLANDET:
            regel = rng.choice((REFERENCE, I_TEKST, YDELSE_OG_PERIODE))
        kvartal = 3 if maaned + 2 <= hoej and rng.random() < 0.1 else 1
        if regel == YDELSE_OG_PERIODE:
            krav.append(b.krav(bevilling.kode, maaned, maaneder=kvartal))
            continue
        if regel == REFERENCE:
            reference = bevilling.nummer.lower() if rng.random() < 0.05 else bevilling.nummer
            i_tekst = bevilling.nummer if rng.random() < 0.3 else ""
        else:
            reference, i_tekst = "", bevilling.nummer
        # A claim with a reference or a number in the text sometimes lacks its ydelseskode.
        ydelseskode = "" if rng.random() < 0.08 else None
        krav.append(
            b.krav(
                bevilling.kode,
                maaned,
                reference=reference,
                nummer_i_tekst=i_tekst,
                maaneder=kvartal,
                ydelseskode=ydelseskode,
            )
        )
    return krav


def _fremmed_bevillingsnummer(b: Bygger) -> str:
    """A bevillingsnummer of another borger (one without a konto is made if there is none)."""
    if not b.bevillingsnumre:
        anden = b.borger()
        return b.bevilling(anden, b.kode_tilfaeldig(), FOERSTE_MAANED, None).nummer
    return b.rng.choice(b.bevillingsnumre)


def _opgave(kontonummer: str, aarsag: str, scenarie: str) -> Forventning:
    return Forventning(kontonummer, OPGAVE, aarsag, "", "", scenarie)


# --- linked konti -------------------------------------------------------------------------------


def tilknyttet(
    b: Bygger, *, evidens: str, maade: str, status: str = "", ukendt: bool = False
) -> list[Forventning]:
    """All claims resolve to one bevilling by ``evidens``; the sag follows from ``maade``.

    ``maade`` FLERE_SAGER gives the task FLERE_BEVILLINGER; ``ukendt`` an unknown ydelseskode
    (linked, with the task YDELSESTYPE_UKENDT).
    """
    rng = b.rng
    borger = b.borger()
    kode = rng.choice(UKENDTE_KODER) if ukendt else b.kode_tilfaeldig()
    egen, forventet = _sager(b, borger, kode, maade, ukendt=ukendt)

    fra_min = FOERSTE_MAANED
    if evidens == YDELSE_OG_PERIODE and rng.random() < 0.4:
        # An earlier bevilling with the same code that ended before this one started.
        fra_min = FOERSTE_MAANED + 8
        tidligere_fra = rng.randint(FOERSTE_MAANED, FOERSTE_MAANED + 5)
        b.bevilling(borger, kode, tidligere_fra, tidligere_fra + rng.randint(0, 2))
    fra, til = _periode(b, fra_min=fra_min, fra_max=2024 * 12 + 5, loebende=0.25)
    if rng.random() < 0.3:
        # Another bevilling with another code: a candidate that matches none of the claims.
        anden_fra, anden_til = _periode(b, fra_min=FOERSTE_MAANED, fra_max=2024 * 12, loebende=0.2)
        b.bevilling(borger, b.kode_tilfaeldig(undtagen=(kode,)), anden_fra, anden_til)
    if evidens in (REFERENCE, I_TEKST) and not ukendt and rng.random() < 0.1:
        # Same code, overlapping: rule 3 would be ambiguous, but rule 1/2 decides first.
        b.bevilling(borger, kode, fra, None)
    bevilling = b.bevilling(borger, kode, fra, til, sagsnummer=egen)

    krav = _krav_under(b, bevilling, evidens, b.antal_krav())
    kontonummer = b.konto(borger, krav, status=status)
    scenarie = f"{evidens}_{maade}"
    if status == VENTER:
        scenarie = f"venter_paa_daekning_{scenarie}"
    if maade == FLERE_SAGER:
        return [_opgave(kontonummer, FLERE_BEVILLINGER, scenarie)]
    resultat = SAGSOPRETTET if maade == NY_SAG else SAGSTILKNYTTET
    aarsag = YDELSESTYPE_UKENDT if ukendt else ""
    if ukendt:
        scenarie = f"ydelsestype_ukendt_{scenarie}"
    return [Forventning(kontonummer, resultat, aarsag, bevilling.nummer, forventet, scenarie)]


def loebende_med_ky_konto(b: Bygger) -> list[Forventning]:
    """A running benefit with a duty to repay that moved from KMD Aktiv to KY (seed 000).

    The KMD Aktiv bevilling and the KY bevilling that continues it share the KY sag; the borger
    has a KMD Aktiv konto (linked by reference) and a KY konto (never touched by the run).
    """
    rng = b.rng
    borger = b.borger()
    kode = rng.choice(("KTH", "KTH", "UDH", "SHY", "LED", "RFY"))
    sag = b.sag(borger, kode)
    skifte = rng.randint(2023 * 12, 2024 * 12 + 11)
    kmd = b.bevilling(borger, kode, rng.randint(2019 * 12, skifte - 6), skifte - 1, sagsnummer=sag)
    ky = b.bevilling(borger, kode, skifte, None, sagsnummer=sag)
    kmd_konto = b.konto(borger, _krav_under(b, kmd, REFERENCE, b.antal_krav()), status="AKTIV")
    ky_konto = b.konto(borger, _krav_under(b, ky, REFERENCE, b.antal_krav()), kilde=KY)
    return [
        Forventning(kmd_konto, SAGSTILKNYTTET, "", kmd.nummer, sag, "loebende_med_ky_konto"),
        Forventning(ky_konto, IKKE_KOERT, "", "", "", "ky_konto_loebende"),
    ]


LOEBENDE_KMD_MED_KY_KONTO = "loebende_kmd_med_ky_konto"
KY_KONTO_LOEBENDE_KMD = "ky_konto_loebende_kmd"


def loebende_kmd_med_ky_konto(b: Bygger) -> list[Forventning]:
    """A løbende forsørgelsesydelse med tilbagebetalingspligt still granted in KMD Aktiv, whose
    new claims are raised in KY (seed 000: the claims "skal hver måned samles indtil borgeren
    stopper på sin ydelse").

    The open-ended KMD Aktiv bevilling has its own open KY sag; the older claims sit on a KMD
    Aktiv konto (linked by reference), the newer ones on a KY konto under the same bevilling.
    The demo's ``saml_demodata`` merges some of these konti so the monthly samling shows.
    """
    rng = b.rng
    borger = b.borger()
    kode = rng.choice(("KTH", "KTH", "UDH", "SHY", "LED", "RFY"))
    sag = b.sag(borger, kode)
    fra = rng.randint(2020 * 12, 2023 * 12)
    bevilling = b.bevilling(borger, kode, fra, None, sagsnummer=sag)
    skifte = rng.randint(fra + 2, SIDSTE_MAANED - 1)
    kmd_krav = [
        b.krav(kode, m, reference=bevilling.nummer)
        for m in b.maaneder(fra, skifte - 1, b.antal_krav())
    ]
    ky_krav = [
        b.krav(kode, m, reference=bevilling.nummer)
        for m in b.maaneder(skifte, SIDSTE_MAANED, b.antal_krav())
    ]
    kmd_konto = b.konto(borger, kmd_krav, status="AKTIV")
    ky_konto = b.konto(borger, ky_krav, kilde=KY, status="AKTIV")
    return [
        Forventning(
            kmd_konto, SAGSTILKNYTTET, "", bevilling.nummer, sag, LOEBENDE_KMD_MED_KY_KONTO
        ),
        Forventning(ky_konto, IKKE_KOERT, "", "", "", KY_KONTO_LOEBENDE_KMD),
    ]


def ky_konto(b: Bygger) -> list[Forventning]:
    """A konto created in KY: its claims reference a KY bevilling; the run leaves it alone."""
    borger = b.borger()
    kode = b.kode_tilfaeldig()
    sag = b.sag(borger, kode)
    fra, til = _periode(b, fra_min=2022 * 12, fra_max=2025 * 12, loebende=0.5)
    bevilling = b.bevilling(borger, kode, fra, til, sagsnummer=sag)
    kontonummer = b.konto(borger, _krav_under(b, bevilling, REFERENCE, b.antal_krav()), kilde=KY)
    return [Forventning(kontonummer, IKKE_KOERT, "", "", "", "ky_konto")]


# --- tasks ---------------------------------------------------------------------------------------


def flere_bevillinger(b: Bygger, *, status: str = "") -> Forventning:
    """Two bevillinger with the same code both cover the claims, which name neither of them."""
    rng = b.rng
    borger = b.borger()
    kode = b.kode_tilfaeldig()
    _sager(b, borger, kode, rng.choice((EGEN_SAG, AABEN_SAG, NY_SAG)))
    anden_fra = rng.randint(FOERSTE_MAANED, 2023 * 12 + 11)
    anden_til = anden_fra + rng.randint(6, 24)
    foerste_fra = rng.randint(max(FOERSTE_MAANED, anden_fra - 12), anden_fra)
    foerste_til = None if rng.random() < 0.5 else anden_til + rng.randint(0, 12)
    foerste = b.bevilling(borger, kode, foerste_fra, foerste_til)
    anden = b.bevilling(borger, kode, anden_fra, anden_til)
    lav, hoej = anden.kravvindue()
    krav = [b.krav(kode, m) for m in b.maaneder(lav, hoej, b.antal_krav())]
    if rng.random() < 0.3:
        # One claim does carry a reference: resolved, but the others keep the konto a task.
        krav += _krav_under(b, foerste, REFERENCE, 1)
    return _opgave(b.konto(borger, krav, status=status), FLERE_BEVILLINGER, "flere_bevillinger")


def blandede_bevillinger(b: Bygger) -> Forventning:
    """Every claim resolves, but to two different bevillinger of the borger."""
    rng = b.rng
    borger = b.borger()
    kode = b.kode_tilfaeldig()
    _sager(b, borger, kode, rng.choice((EGEN_SAG, AABEN_SAG, NY_SAG)))
    fra, til = _periode(b, fra_min=FOERSTE_MAANED, fra_max=2022 * 12, loebende=0.0)
    foerste = b.bevilling(borger, kode, fra, til)
    assert til is not None
    if til < SIDSTE_MAANED and rng.random() < 0.3:
        # The same benefit granted again later: separate bevillinger, separate claims.
        anden = b.bevilling(borger, kode, til + 1, None)
    else:
        anden_kode = b.kode_tilfaeldig(undtagen=(kode,))
        anden_fra, anden_til = _periode(b, fra_min=FOERSTE_MAANED, fra_max=2024 * 12, loebende=0.3)
        anden = b.bevilling(borger, anden_kode, anden_fra, anden_til)
    antal = b.antal_krav(mindst=2)
    til_foerste = rng.randint(1, antal - 1)
    evidens = rng.choice((REFERENCE, I_TEKST))
    krav = _krav_under(b, foerste, evidens, til_foerste)
    krav += _krav_under(b, anden, rng.choice((REFERENCE, I_TEKST)), antal - til_foerste)
    return _opgave(b.konto(borger, krav), BLANDEDE_BEVILLINGER, "blandede_bevillinger")


def ingen_bevilling(b: Bygger, *, status: str = "") -> Forventning:
    """The borger has no bevilling at all: særlig støtte and manually created claims (MI 32)."""
    rng = b.rng
    borger = b.borger()
    if rng.random() < 0.2:
        b.sag(borger, rng.choice(("SST", "KTH")))
    krav = []
    for maaned in b.maaneder(2019 * 12, SIDSTE_MAANED, b.antal_krav()):
        kode = rng.choice(("SST", "SST", "ENK", "KTH"))
        krav.append(b.krav(kode, maaned, ydelseskode="" if rng.random() < 0.3 else kode))
    return _opgave(b.konto(borger, krav, status=status), INGEN_BEVILLING, "ingen_bevilling")


def mangler_reference(b: Bygger, *, status: str = "", variant: str = "") -> Forventning:
    """The borger has bevillinger, but no rule finds one for at least one claim.

    Variants: the claims lie wholly outside the bevilling's period (``udenfor``), one claim
    runs past its end so the period is not covered as a whole (``delvis``), or the claims carry
    a ydelseskode the borger has no bevilling for (``anden_ydelse``).
    """
    rng = b.rng
    borger = b.borger()
    variant = variant or rng.choices(("udenfor", "delvis", "anden_ydelse"), weights=(50, 25, 25))[0]
    kode = b.kode_tilfaeldig(undtagen=("ENK",) if variant == "delvis" else ())
    _sager(b, borger, kode, rng.choice((EGEN_SAG, AABEN_SAG, NY_SAG)))
    fra = rng.randint(2019 * 12, 2023 * 12 + 5)
    til = fra + rng.randint(5, 17)
    bevilling = b.bevilling(borger, kode, fra, til)
    kendte = {kode}
    if rng.random() < 0.2:
        anden_kode = b.kode_tilfaeldig(undtagen=(kode,))
        kendte.add(anden_kode)
        b.bevilling(
            borger, anden_kode, *_periode(b, fra_min=2019 * 12, fra_max=2024 * 12, loebende=0.3)
        )
    antal = b.antal_krav()
    if variant == "anden_ydelse":
        anden = b.kode_tilfaeldig(undtagen=tuple(kendte))
        krav = [b.krav(anden, m) for m in b.maaneder(fra, til, antal)]
    else:
        if rng.random() < 0.5:
            lav, hoej = til + 1, SIDSTE_MAANED
        else:
            lav, hoej = FOERSTE_MAANED - 12, fra - 1
        krav = [b.krav(kode, m) for m in b.maaneder(lav, hoej, antal)]
        if variant == "delvis":
            krav[0] = b.krav(kode, til - 1, maaneder=3)
    if rng.random() < 0.3:
        krav += _krav_under(b, bevilling, REFERENCE, 1)
    return _opgave(
        b.konto(borger, krav, status=status), MANGLER_REFERENCE, f"mangler_reference_{variant}"
    )


def datafejl_fremmed_reference(b: Bygger) -> Forventning:
    """A claim's reference names another borger's bevilling; the rest may resolve fine."""
    rng = b.rng
    fremmed = _fremmed_bevillingsnummer(b)
    borger = b.borger()
    status = VENTER if rng.random() < 0.2 else ""
    if rng.random() < 0.25:
        # The borger has no bevilling of his own.
        krav = [b.krav("SST", m) for m in b.maaneder(2019 * 12, SIDSTE_MAANED, b.antal_krav())]
        krav[rng.randrange(len(krav))].reference = fremmed
        return _opgave(b.konto(borger, krav, status=status), DATAFEJL, "datafejl_fremmed_reference")
    kode = b.kode_tilfaeldig()
    egen, _ = _sager(b, borger, kode, rng.choice((EGEN_SAG, AABEN_SAG, NY_SAG)))
    bevilling = b.bevilling(
        borger,
        kode,
        *_periode(b, fra_min=FOERSTE_MAANED, fra_max=2024 * 12, loebende=0.3),
        sagsnummer=egen,
    )
    krav = _krav_under(b, bevilling, rng.choice((REFERENCE, I_TEKST, BLANDET)), b.antal_krav())
    lav, hoej = bevilling.kravvindue()
    krav.append(b.krav(kode, rng.randint(lav, hoej), reference=fremmed))
    return _opgave(b.konto(borger, krav, status=status), DATAFEJL, "datafejl_fremmed_reference")


def datafejl_omvendt_periode(b: Bygger) -> Forventning:
    """A claim's period ends before it starts; the rest resolve to the borger's bevilling."""
    rng = b.rng
    borger = b.borger()
    kode = b.kode_tilfaeldig(undtagen=("ENK",))
    egen, _ = _sager(b, borger, kode, rng.choice((EGEN_SAG, AABEN_SAG, NY_SAG)))
    bevilling = b.bevilling(
        borger,
        kode,
        *_periode(b, fra_min=FOERSTE_MAANED, fra_max=2024 * 12, loebende=0.3),
        sagsnummer=egen,
    )
    krav = _krav_under(b, bevilling, REFERENCE, b.antal_krav())
    lav, hoej = bevilling.kravvindue()
    reference = bevilling.nummer if rng.random() < 0.5 else ""
    krav.insert(
        rng.randrange(len(krav) + 1),
        b.krav_omvendt_periode(kode, rng.randint(lav, hoej), reference=reference),
    )
    status = VENTER if rng.random() < 0.2 else ""
    return _opgave(b.konto(borger, krav, status=status), DATAFEJL, "datafejl_omvendt_periode")


def venter_paa_daekning(b: Bygger) -> Forventning:
    """A VENTER_PAA_DAEKNING konto that cannot be linked: that status is the task's reason."""
    valg = b.rng.choice(("mangler_reference", "ingen_bevilling", "flere_bevillinger"))
    if valg == "mangler_reference":
        underliggende = mangler_reference(b, status=VENTER, variant="udenfor")
    elif valg == "ingen_bevilling":
        underliggende = ingen_bevilling(b, status=VENTER)
    else:
        underliggende = flere_bevillinger(b, status=VENTER)
    return replace(
        underliggende, aarsag=VENTER_PAA_DAEKNING, scenarie=f"venter_paa_daekning_{valg}"
    )


# --- the catalogue and the plan -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenarie:
    byg: Callable[[Bygger], list[Forventning]]
    vaegt: float  # share of konti, in per cent
    mindst: int  # how many a plan of 200+ konti holds at least
    konti: int = 1


def _en(byg: Callable[[Bygger], Forventning]) -> Callable[[Bygger], list[Forventning]]:
    return lambda b: [byg(b)]


def _linket(
    evidens: str, maade: str, *, status: str = "", ukendt: bool = False
) -> Callable[[Bygger], list[Forventning]]:
    return lambda b: tilknyttet(b, evidens=evidens, maade=maade, status=status, ukendt=ukendt)


def _flere_sager(b: Bygger) -> list[Forventning]:
    evidens = b.rng.choice((REFERENCE, I_TEKST, YDELSE_OG_PERIODE))
    return tilknyttet(b, evidens=evidens, maade=FLERE_SAGER)


def _katalog() -> dict[str, Scenarie]:
    katalog: dict[str, Scenarie] = {}
    sagsandel = ((EGEN_SAG, 0.4), (AABEN_SAG, 0.3), (NY_SAG, 0.3))
    linket = ((REFERENCE, 30.0), (I_TEKST, 10.0), (YDELSE_OG_PERIODE, 11.0), (BLANDET, 5.0))
    for evidens, vaegt in linket:
        for maade, andel in sagsandel:
            katalog[f"{evidens}_{maade}"] = Scenarie(_linket(evidens, maade), vaegt * andel, 1)
    for maade, andel in sagsandel:
        katalog[f"venter_paa_daekning_{REFERENCE}_{maade}"] = Scenarie(
            _linket(REFERENCE, maade, status=VENTER), 4.0 * andel, 1
        )
    for maade in (EGEN_SAG, NY_SAG):
        for evidens, vaegt, mindst in ((REFERENCE, 0.9, 2), (I_TEKST, 0.35, 1)):
            katalog[f"ydelsestype_ukendt_{evidens}_{maade}"] = Scenarie(
                _linket(evidens, maade, ukendt=True), vaegt, mindst
            )
    katalog["flere_sager"] = Scenarie(_flere_sager, 1.5, 3)
    katalog["loebende_med_ky_konto"] = Scenarie(loebende_med_ky_konto, 4.0, 1, konti=2)
    katalog[LOEBENDE_KMD_MED_KY_KONTO] = Scenarie(loebende_kmd_med_ky_konto, 1.5, 3, konti=2)
    katalog["ky_konto"] = Scenarie(ky_konto, 2.5, 1)
    katalog["flere_bevillinger"] = Scenarie(_en(flere_bevillinger), 3.0, 3)
    katalog["blandede_bevillinger"] = Scenarie(_en(blandede_bevillinger), 3.0, 3)
    katalog["ingen_bevilling"] = Scenarie(_en(ingen_bevilling), 4.0, 3)
    katalog["mangler_reference"] = Scenarie(_en(mangler_reference), 4.0, 3)
    katalog["datafejl_fremmed_reference"] = Scenarie(_en(datafejl_fremmed_reference), 1.5, 2)
    katalog["datafejl_omvendt_periode"] = Scenarie(_en(datafejl_omvendt_periode), 1.0, 2)
    katalog["venter_paa_daekning"] = Scenarie(_en(venter_paa_daekning), 4.0, 3)
    return katalog


KATALOG = _katalog()


def plan(rng: Tilfaeldig, konti: int) -> list[str]:
    """The scenario of every konto, in the order they are built, using exactly ``konti`` slots.

    From 200 konti on every scenario appears at least ``mindst`` times (so every reason code
    and both link outcomes are present); the rest is drawn by weight.
    """
    navne = list(KATALOG)
    raekke: list[str] = []
    brugt = 0
    if konti >= 200:
        for navn in navne:
            scenarie = KATALOG[navn]
            raekke += [navn] * scenarie.mindst
            brugt += scenarie.mindst * scenarie.konti
    vaegte = [KATALOG[navn].vaegt for navn in navne]
    enkelte = [navn for navn in navne if KATALOG[navn].konti == 1]
    enkelte_vaegte = [KATALOG[navn].vaegt for navn in enkelte]
    while brugt < konti:
        navn = rng.choices(navne, weights=vaegte)[0]
        if brugt + KATALOG[navn].konti > konti:
            navn = rng.choices(enkelte, weights=enkelte_vaegte)[0]
        raekke.append(navn)
        brugt += KATALOG[navn].konti
    rng.shuffle(raekke)
    return raekke
