"""Report definitions: a name, a Danish title, filters, typed columns and a row source.

A row source takes a kommune id and the chosen filters; it always starts from that kommune
(``.for_kommune``) and streams rows from the database with ``iterator(chunk_size=…)``, so no
report holds its whole result in memory. The row sources live in ``rapporter.selectors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fordringer.choices import KontoStatus

from . import selectors
from .kilde import Raekkekilde

TEKST, BELOEB, DATO, HELTAL = "tekst", "beløb", "dato", "heltal"

Filtre = Mapping[str, Any]
Raekke = tuple[Any, ...]

# Filter kinds a screen and the command know how to read.
MAANED, VALG, FRA_DATO, TIL_DATO = "måned", "valg", "fra_dato", "til_dato"
AAR = "år"


@dataclass(frozen=True)
class Kolonne:
    navn: str  # the contract name (DESIGN §6), also the CSV header
    overskrift: str  # Danish header for people (xlsx, screen)
    type: str = TEKST

    @property
    def kode(self) -> bool:
        """A column of stored codes for tools and filters, beside its Danish label column;
        files have it, the screen's preview (for people) leaves it out."""
        return self.navn.endswith("_kode")


@dataclass(frozen=True)
class Filter:
    navn: str
    label: str
    type: str
    hjaelp: str = ""
    valg: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rapport:
    navn: str
    titel: str
    beskrivelse: str
    kolonner: tuple[Kolonne, ...]
    raekker: Callable[..., Iterator[Raekke]]  # (kommune_id, filtre, *, chunk_size) → rows
    antal: Callable[[int, Filtre], int]  # (kommune_id, filtre) → number of rows
    filtre: tuple[Filter, ...] = field(default=())
    ark: str = ""  # sheet name (at most 31 characters); the title when empty
    # The rows described for the database to format (``rapporter.sqllinjer``): the big reports.
    kilde: Callable[[int, Filtre], Raekkekilde] | None = None

    @property
    def vist(self) -> tuple[Kolonne, ...]:
        """The columns a person reads on the screen: all but the code columns."""
        return tuple(k for k in self.kolonner if not k.kode)

    @property
    def arknavn(self) -> str:
        return (self.ark or self.titel)[:31]


def rapport_hent(navn: str) -> Rapport:
    """The report called ``navn``; ``KeyError`` for an unknown name."""
    return RAPPORTER[navn]


_KOLONNER_SAGSTILKNYTNING = (
    Kolonne("kontonummer", "Kontonummer"),
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("status", "Status"),
    Kolonne("frigivelsestype", "Frigivelsestype"),
    Kolonne("resultat", "Resultat"),
    Kolonne("aarsag", "Årsag"),
    # The codes beside the labels, for filters and other tools (DESIGN §6).
    Kolonne("resultat_kode", "Resultatkode"),
    Kolonne("aarsag_kode", "Årsagskode"),
    Kolonne("bevillingsnummer", "Bevillingsnummer"),
    Kolonne("sagsnummer", "Sagsnummer"),
    Kolonne("status_kode", "Statuskode"),
    Kolonne("frigivelsestype_kode", "Frigivelsestypekode"),
)

_KOLONNER_DETALJER = (
    Kolonne("kontonummer", "Kontonummer"),
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("navn", "Navn"),
    Kolonne("kilde", "Kilde"),
    Kolonne("fordringsid", "Fordrings-ID"),
    Kolonne("ydelsestype", "Ydelsestype"),
    Kolonne("ydelseskode", "Ydelseskode"),
    Kolonne("kmd_aktiv_reference", "KMD Aktiv reference"),
    Kolonne("tekst", "Tekst"),
    Kolonne("periode_fra", "Periode fra", DATO),
    Kolonne("periode_til", "Periode til", DATO),
    Kolonne("forfaldsdato", "Forfaldsdato", DATO),
    Kolonne("hovedstol", "Hovedstol", BELOEB),
    Kolonne("renter", "Renter", BELOEB),
    Kolonne("gebyrer", "Gebyrer", BELOEB),
    Kolonne("restance", "Restance", BELOEB),
    Kolonne("daekninger", "Dækninger i perioden", BELOEB),
    Kolonne("opkraevningstilstand", "Opkrævningstilstand"),
    Kolonne("status", "Status"),
    Kolonne("frigivelsestype", "Frigivelsestype"),
)

_KOLONNER_R21 = (
    Kolonne("pakke", "Opgavepakke"),
    Kolonne("aarsag", "Årsag"),
    Kolonne("aarsag_kode", "Årsagskode"),
    Kolonne("med_daekninger", "Med dækninger"),
    Kolonne("aabne", "Åbne", HELTAL),
    Kolonne("i_gang", "I gang", HELTAL),
    Kolonne("afsluttede", "Afsluttede", HELTAL),
    Kolonne("restance", "Restance (åbne opgaver)", BELOEB),
    Kolonne("parkeret", "Parkerede dækninger", BELOEB),
    Kolonne("frist", "Frist", DATO),
    Kolonne("arbejdsdage", "Arbejdsdage til frist", HELTAL),
    Kolonne("pr_arbejdsdag", "Opgaver pr. arbejdsdag for at nå fristen", HELTAL),
    Kolonne("afsluttet_10_dage", "Afsluttet de seneste 10 arbejdsdage", HELTAL),
    Kolonne("prognose", "Forventet færdig (nuværende tempo)", DATO),
)

_KOLONNER_MANGLENDE_YDELSESTYPE = (
    Kolonne("kontonummer", "Kontonummer"),
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("navn", "Navn"),
    Kolonne("sagsnummer", "Sagsnummer"),
    Kolonne("bevillingsnummer", "Bevillingsnummer"),
    Kolonne("fordringer", "Fordringer uden ydelsestype", HELTAL),
    Kolonne("restance", "Restance på fordringerne", BELOEB),
)

_KOLONNER_STOPPEDE = (
    Kolonne("kontonummer", "Kontonummer"),
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("navn", "Navn"),
    Kolonne("sagsnummer", "Sagsnummer"),
    Kolonne("fordringsid", "Fordrings-ID"),
    Kolonne("ydelsestype", "Ydelsestype"),
    Kolonne("forfaldsdato", "Forfaldsdato", DATO),
    Kolonne("restance", "Restance", BELOEB),
    Kolonne("status", "Kontostatus"),
    Kolonne("frigivelsestype", "Frigivelsestype"),
)

_FILTRE_DETALJER = (
    Filter(
        "maaned",
        "Oprettelsesmåned",
        MAANED,
        hjaelp="Fordringer med forfaldsdato i måneden (KMD Aktiv angiver ikke en "
        "oprettelsesdato). Skriv måned og år som mm-åååå.",
    ),
    Filter(
        "status",
        "Status",
        VALG,
        valg=tuple((s.value, s.label) for s in KontoStatus),
    ),
    Filter("daekning_fra", "Dækninger fra", FRA_DATO, hjaelp="Dato som dd-mm-åååå."),
    Filter("daekning_til", "Dækninger til", TIL_DATO, hjaelp="Dato som dd-mm-åååå."),
)

# The eIndkomst file (DESIGN §6): these five names, in this order, are the contract.
_KOLONNER_EINDKOMST = (
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("indkomstaar", "Indkomstår", HELTAL),
    Kolonne("art", "Art"),
    Kolonne("beloeb", "Beløb", BELOEB),
    Kolonne("ydelsestype", "Ydelsestype"),
)

_FILTRE_EINDKOMST = (
    Filter(
        "indkomstaar",
        "Indkomstår",
        AAR,
        hjaelp="Skriv året som åååå, fx 2026. Uden indkomstår kommer alle år med.",
    ),
)

# The eIndkomst reconciliation (seeds 000, 002): one row per borger, income year and art.
_KOLONNER_EINDKOMST_AFSTEMNING = (
    Kolonne("cpr", "CPR-nummer"),
    Kolonne("indkomstaar", "Indkomstår", HELTAL),
    Kolonne("art", "Art"),
    Kolonne("art_kode", "Artskode"),
    Kolonne("forventet", "Forventet", BELOEB),
    Kolonne("linjer", "Indberetningslinjer", BELOEB),
    Kolonne("indberettet", "Indberettet", BELOEB),
    Kolonne("manuelt", "Manuelt indberettet", BELOEB),
    Kolonne("modregnet", "Modregnet", BELOEB),
    Kolonne("afventer", "Afventer", BELOEB),
    Kolonne("forskel", "Forskel", BELOEB),
    Kolonne("manuelt_ikke_modregnet", "Manuelt, ikke modregnet", BELOEB),
    Kolonne("afvigelse", "Afvigelse"),
)

_FILTRE_EINDKOMST_AFSTEMNING = (
    Filter(
        "indkomstaar",
        "Indkomstår",
        AAR,
        hjaelp="Skriv året som åååå, fx 2026. Uden indkomstår kommer alle år med.",
    ),
)

RAPPORTER: dict[str, Rapport] = {
    r.navn: r
    for r in (
        Rapport(
            navn="detaljer_debitor",
            titel="Detaljer_Debitor",
            beskrivelse="Én række pr. fordring med konto, borger, ydelsestype, reference, "
            "hovedstol, tilskrevne renter og gebyrer (fratrukket tilbageførsler), restance, "
            "dækninger i perioden og kontoens status (fx 'Afventer frigivelse', når en "
            "KY-fordring skal frigives).",
            kolonner=_KOLONNER_DETALJER,
            raekker=selectors.detaljer_debitor_raekker,
            antal=selectors.detaljer_debitor_antal,
            kilde=selectors.detaljer_debitor_kilde,
            filtre=_FILTRE_DETALJER,
        ),
        Rapport(
            navn="kmd_aktiv_sagstilknytning",
            titel="KMD Aktiv Fordring Sagstilknytning",
            beskrivelse="Én række pr. KMD Aktiv debitorkonto med frigivelsestype, resultatet af "
            "sagstilknytningen og årsagen (med deres koder), bevilling og sag.",
            kolonner=_KOLONNER_SAGSTILKNYTNING,
            raekker=selectors.sagstilknytning_raekker,
            antal=selectors.sagstilknytning_antal,
            ark="Sagstilknytning",
        ),
        Rapport(
            navn="opgavepakker_r21",
            titel="KMD Aktiv fordringers opgavepakker R2.1",
            beskrivelse="Pr. opgavepakke: åbne, igangværende og afsluttede opgaver, restance og "
            "parkerede dækninger, og hvor mange opgaver der skal løses pr. arbejdsdag for at "
            "nå fristen, samt hvornår pakken er færdig i tempoet fra de seneste 10 arbejdsdage.",
            kolonner=_KOLONNER_R21,
            raekker=selectors.opgavepakker_r21_raekker,
            antal=selectors.opgavepakker_r21_antal,
            ark="Opgavepakker R2.1",
        ),
        Rapport(
            navn="manglende_ydelsestype",
            titel="Manglende ydelsestype",
            beskrivelse="Sagstilknyttede KMD Aktiv debitorkonti med fordringer, hvor "
            "ydelsestypen ikke kan udledes og skal tilføjes manuelt.",
            kolonner=_KOLONNER_MANGLENDE_YDELSESTYPE,
            raekker=selectors.manglende_ydelsestype_raekker,
            antal=selectors.manglende_ydelsestype_antal,
        ),
        Rapport(
            navn="fordringer_stoppede_sager",
            titel="Fordringer på stoppede sager, ikke frigivet",
            beskrivelse="Fordringer, hvis sag er stoppet (sagen er lukket, eller bevillingens "
            "periode er udløbet), og hvis debitorkonto ikke er frigivet.",
            kolonner=_KOLONNER_STOPPEDE,
            raekker=selectors.stoppede_sager_raekker,
            antal=selectors.stoppede_sager_antal,
            ark="Stoppede sager",
            kilde=selectors.stoppede_sager_kilde,
        ),
        Rapport(
            navn="eindkomst",
            titel="eIndkomst-linjer pr. borger og år",
            beskrivelse="Én række pr. borger, indkomstår, art og ydelsestype med nettobeløbet af "
            "eIndkomst-linjerne (tilbageførsler modregnet; rækker, der går i nul, er udeladt). "
            "Art LL8O er fradrag efter LL § 8 O i tilbagebetalingsåret, KORREKTION en "
            "korrektion af udbetalingsårets indkomst. Samme fil som manage.py eindkomst.",
            kolonner=_KOLONNER_EINDKOMST,
            raekker=selectors.eindkomst_raekker,
            antal=selectors.eindkomst_antal,
            filtre=_FILTRE_EINDKOMST,
            ark="eIndkomst",
        ),
        Rapport(
            navn="eindkomst_afstemning",
            titel="eIndkomst-afstemning",
            beskrivelse="Én række pr. borger, indkomstår og art: forventet (genberegnet ud fra "
            "posteringerne), indberetningslinjer, indberettet, manuelt indberettet af kommunen, "
            "modregnet, afventer og forskel (forventet minus indberettet, modregnet og afventer). "
            "Borgere med en afvigelse står først i hvert år.",
            kolonner=_KOLONNER_EINDKOMST_AFSTEMNING,
            raekker=selectors.eindkomst_afstemning_raekker,
            antal=selectors.eindkomst_afstemning_antal,
            filtre=_FILTRE_EINDKOMST_AFSTEMNING,
            ark="eIndkomst-afstemning",
        ),
    )
}
