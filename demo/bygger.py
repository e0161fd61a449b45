"""Building blocks for synthetic KMD Aktiv data: borgere, sager, bevillinger, konti, claims.

Each block writes its rows straight into the extract (``writer.Udtraek``) and hands back what
a scenario needs to build on it. All randomness comes from the one seeded ``Tilfaeldig`` passed in,
and no block reads the clock, so a seed gives the same files every time.

Identifiers are drawn from disjoint formats so that no generated word can ever equal another
identifier by accident: bevillingsnumre ``B`` + 7 digits, sagsnumre ``S<år>-`` + 6 digits,
kontonumre the kommunekode + 7 digits, fordrings-, dæknings- and indbetalings-ids 9 digits in
separate ranges. Claim texts never contain a ``B`` followed by digits except the one
bevillingsnummer a scenario puts there on purpose.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from . import names
from .writer import (
    BEVILLINGER,
    DAEKNINGER,
    DEBITORKONTI,
    FORDRINGER,
    SAGER,
    Udtraek,
    beloeb,
    dato,
    jn,
)

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")

# Months are counted as ``år * 12 + (måned - 1)``.
FOERSTE_MAANED = 2018 * 12
SIDSTE_MAANED = 2025 * 12 + 5  # June 2025: the newest claim period in the extract
UDTRAEKSDATO = dt.date(2025, 9, 30)  # no valørdato after the day the extract was taken

KENDTE_KODER = ("KTH", "UDH", "SHY", "OVG", "LED", "REV", "RFY", "FLX", "ENK", "SST")
# Codes KMD Aktiv used that are not in the benefit-code table (DESIGN §6: kept, type unknown).
UKENDTE_KODER = ("XYZ", "KTX", "UDX", "AKT")
_KODE_VAEGT = list(itertools.accumulate((34, 14, 8, 3, 9, 4, 8, 7, 8, 5)))

YDELSE_TEKST: dict[str, str] = {
    "KTH": "kontanthjælp",
    "UDH": "uddannelseshjælp",
    "SHY": "selvforsørgelses- og hjemrejseydelse",
    "OVG": "overgangsydelse",
    "LED": "ledighedsydelse",
    "REV": "revalideringsydelse",
    "RFY": "ressourceforløbsydelse",
    "FLX": "fleksløntilskud",
    "ENK": "enkeltydelse",
    "SST": "særlig støtte",
}
_ENKELTYDELSER = (
    "Enkeltydelse til tandbehandling (aktivloven § 82)",
    "Hjælp til depositum (aktivloven § 85)",
    "Hjælp til flytning (aktivloven § 85)",
    "Enkeltydelse til briller (aktivloven § 82)",
    "Hjælp til sygebehandling (aktivloven § 82)",
    "Enkeltydelse til forsørgelse i enkeltstående tilfælde (aktivloven § 81)",
)
_MAANEDER = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
# Claim amounts per code, in øre (low, high); smaller amounts are more frequent.
_BELOEB: dict[str, tuple[int, int]] = {
    "KTH": (25_000, 1_200_000),
    "UDH": (20_000, 800_000),
    "SHY": (20_000, 900_000),
    "OVG": (20_000, 900_000),
    "LED": (50_000, 1_800_000),
    "REV": (50_000, 1_500_000),
    "RFY": (50_000, 1_500_000),
    "FLX": (30_000, 1_200_000),
    "ENK": (50_000, 2_500_000),
    "SST": (20_000, 600_000),
}
_BELOEB_UKENDT = (30_000, 900_000)
TANKESTREG = "\N{EN DASH}"  # as Danish claim texts write it
# Claims per konto: 1-12, about 5 on average.
_ANTAL_KRAV = list(range(1, 13))
_ANTAL_VAEGT = list(itertools.accumulate((8, 10, 12, 13, 13, 11, 9, 7, 6, 5, 4, 3)))

KMD_AKTIV = "KMD_AKTIV"
KY = "KY"
AKTIV = "AKTIV"
VENTER = "VENTER_PAA_DAEKNING"
AFVENTER = "AFVENTER_FRIGIVELSE"
LUKKET = "LUKKET"


# Month tables, looked up instead of computed: a large extract has millions of claim dates.
_TABEL_START = 2010 * 12
_FOERSTE_DAG = [dt.date(m // 12, m % 12 + 1, 1) for m in range(_TABEL_START, 2040 * 12)]
_MAANED_TEKST = [f"{_MAANEDER[m % 12]} {m // 12}" for m in range(_TABEL_START, 2040 * 12)]
_DAGE = [dt.timedelta(days=n) for n in range(500)]


class Tilfaeldig(random.Random):
    """A seeded ``random.Random`` whose everyday draws are cheaper than the standard ones.

    The standard methods draw exact integers bit by bit; a demo extract draws millions of small
    numbers, where scaling one ``random()`` float is plenty and several times faster.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def choices(  # type: ignore[override]
        self,
        population: Sequence[T],
        weights: Sequence[float] | None = None,
        *,
        cum_weights: Sequence[float] | None = None,
        k: int = 1,
    ) -> list[T]:
        if k != 1 or cum_weights is None:
            return super().choices(population, weights, cum_weights=cum_weights, k=k)
        return [population[bisect.bisect(cum_weights, self.random() * cum_weights[-1])]]


def foerste_dag(maaned: int) -> dt.date:
    return _FOERSTE_DAG[maaned - _TABEL_START]


def sidste_dag(maaned: int) -> dt.date:
    return _FOERSTE_DAG[maaned + 1 - _TABEL_START] - _DAGE[1]


@dataclass(slots=True)
class Borger:
    cpr: str  # ten digits
    navn: str
    bevillinger: list[Bevilling] = field(default_factory=list)

    @property
    def cpr_streg(self) -> str:
        return f"{self.cpr[:6]}-{self.cpr[6:]}"


@dataclass(slots=True, frozen=True)
class Bevilling:
    nummer: str
    kode: str
    fra: int  # first month
    til: int | None  # last month; None = open-ended (løbende)
    sagsnummer: str

    def kravvindue(self) -> tuple[int, int]:
        """The months a claim under this bevilling can cover (never past the extract)."""
        slut = SIDSTE_MAANED if self.til is None else min(self.til, SIDSTE_MAANED)
        return self.fra, slut


@dataclass(slots=True)
class Krav:
    """A claim before it is written: the money side is decided when its konto is written."""

    kode: str
    fra: dt.date
    til: dt.date
    forfald: dt.date
    reference: str
    tekst: str
    hovedstol: int  # øre


@dataclass
class Optaelling:
    borgere: int = 0
    sager: int = 0
    bevillinger: int = 0
    konti: int = 0
    fordringer: int = 0
    daekninger: int = 0
    indbetalinger: int = 0


class Bygger:
    """Writes one kommune's extract, one block at a time."""

    def __init__(self, *, kommunekode: int, rng: Tilfaeldig, udtraek: Udtraek) -> None:
        self.kode = str(kommunekode)
        self.rng = rng
        self._tilfaeldig = rng.random
        self.ud = udtraek
        self.antal = Optaelling()
        self.bevillingsnumre: list[str] = []  # every bevilling so far, for foreign references
        self._cpr: set[str] = set()
        self._bevilling_n = 0
        self._sag_n = 0
        self._konto_n = 0
        self._fordring_n = 0
        self._daekning_n = 0
        self._indbetaling_n = 0
        self._kontoprefix = f"{kommunekode:03d}"

    # --- people and cases ---------------------------------------------------------------------

    def borger(self) -> Borger:
        """A new borger with a unique, valid-format CPR number and a name of the right gender."""
        rng = self.rng
        mand = rng.random() < 0.5
        while True:
            aar = rng.randint(1958, 2006)
            foedt = dt.date.fromordinal(dt.date(aar, 1, 1).toordinal() + rng.randrange(365))
            ddmmaa = f"{foedt.day:02d}{foedt.month:02d}{aar % 100:02d}"
            # The 7th digit gives the century: 0-3 for 1900-1999, 4-9 for 2000-2036 (CPR-kontoret).
            syvende = rng.choice("0123" if aar < 2000 else "456789")
            slut = rng.randrange(0, 10, 2) + (1 if mand else 0)  # odd = man, even = woman
            cpr = f"{ddmmaa}{syvende}{rng.randrange(100):02d}{slut}"
            if cpr not in self._cpr:
                break
        self._cpr.add(cpr)
        self.antal.borgere += 1
        return Borger(cpr=cpr, navn=names.navn(rng, mand=mand))

    def kode_tilfaeldig(self, *, undtagen: tuple[str, ...] = ()) -> str:
        """A known benefit code, weighted like a real caseload."""
        while True:
            kode = self.rng.choices(KENDTE_KODER, cum_weights=_KODE_VAEGT)[0]
            if kode not in undtagen:
                return kode

    def sag(self, borger: Borger, kode: str, *, aaben: bool = True, aar: int = 0) -> str:
        """An existing KY sag for ``borger``; returns its sagsnummer."""
        self._sag_n += 1
        aar = aar or self.rng.randint(2019, 2024)
        sagsnummer = f"S{aar}-{self._sag_n:06d}"
        status = "AABEN" if aaben else "LUKKET"
        self.ud.skriv(SAGER, (self.kode, sagsnummer, borger.cpr, kode, status, borger.navn))
        self.antal.sager += 1
        return sagsnummer

    def bevilling(
        self,
        borger: Borger,
        kode: str,
        fra: int,
        til: int | None,
        *,
        sagsnummer: str = "",
    ) -> Bevilling:
        """A bevilling from the first day of month ``fra`` to the last day of month ``til``."""
        self._bevilling_n += 1
        # 7919 is prime to 9,000,000, so the numbers are unique yet do not look sequential.
        nummer = f"B{1_000_000 + (self._bevilling_n * 7919) % 9_000_000}"
        bevilling = Bevilling(nummer=nummer, kode=kode, fra=fra, til=til, sagsnummer=sagsnummer)
        loebende = til is None
        pligt = loebende or self.rng.random() < 0.85
        self.ud.skriv(
            BEVILLINGER,
            (
                self.kode,
                nummer,
                borger.cpr_streg,
                kode,
                dato(foerste_dag(fra)),
                "" if til is None else dato(sidste_dag(til)),
                jn(pligt),
                jn(loebende),
                sagsnummer,
                borger.navn,
            ),
        )
        borger.bevillinger.append(bevilling)
        self.bevillingsnumre.append(nummer)
        self.antal.bevillinger += 1
        return bevilling

    # --- claims --------------------------------------------------------------------------------

    def antal_krav(self, *, mindst: int = 1) -> int:
        return max(mindst, self.rng.choices(_ANTAL_KRAV, cum_weights=_ANTAL_VAEGT)[0])

    def maaneder(self, fra: int, til: int, antal: int) -> list[int]:
        """``antal`` claim months in ``[fra, til]``, oldest first (distinct when there is room)."""
        spaend = til - fra + 1
        if spaend >= antal:
            valgt = self.rng.sample(range(fra, til + 1), antal)
        else:
            valgt = [self.rng.randint(fra, til) for _ in range(antal)]
        return sorted(valgt)

    def krav(
        self,
        kode: str,
        maaned: int,
        *,
        reference: str = "",
        nummer_i_tekst: str = "",
        maaneder: int = 1,
        ydelseskode: str | None = None,
    ) -> Krav:
        """A claim for ``maaneder`` months from ``maaned`` (an enkeltydelse is one day).

        ``kode`` picks the text and amount; ``ydelseskode`` (default ``kode``) is what the claim
        row carries, so a claim can have an empty code. ``nummer_i_tekst`` puts a
        bevillingsnummer into the text as a word of its own.
        """
        tilfaeldig = self._tilfaeldig
        fra = foerste_dag(maaned)
        if kode == "ENK":
            fra += _DAGE[int(tilfaeldig() * 28)]
            til = fra
        else:
            til = sidste_dag(maaned + maaneder - 1)
        lav, hoej = _BELOEB.get(kode, _BELOEB_UKENDT)
        hovedstol = lav + int((hoej - lav) * tilfaeldig() ** 2)
        return Krav(
            kode=kode if ydelseskode is None else ydelseskode,
            fra=fra,
            til=til,
            forfald=til + _DAGE[14 + int(tilfaeldig() * 47)],
            reference=reference,
            tekst=self.tekst(kode, maaned, fra, til, nummer_i_tekst),
            hovedstol=hovedstol,
        )

    def krav_omvendt_periode(self, kode: str, maaned: int, *, reference: str = "") -> Krav:
        """A claim whose period ends before it starts (a DATAFEJL in the source system)."""
        krav = self.krav(kode, maaned, reference=reference)
        krav.til = krav.fra - _DAGE[self.rng.randint(1, 40)]
        return krav

    def tekst(self, kode: str, maaned_nr: int, fra: dt.date, til: dt.date, nummer: str) -> str:
        """A Danish claim text; ``nummer`` (if given) stands as a separate word."""
        rng = self.rng
        maaned = _MAANED_TEKST[maaned_nr - _TABEL_START]
        if kode == "ENK":
            tekst = rng.choice(_ENKELTYDELSER)
        elif kode == "SST":
            tekst = f"Særlig støtte efter aktivloven § 34 for {maaned}"
        else:
            ydelse = YDELSE_TEKST.get(kode, "ydelse")
            if til.month != fra.month or til.year != fra.year:
                periode = f"perioden {fra:%d-%m-%Y} til {til:%d-%m-%Y}"
            else:
                periode = maaned
            tekst = rng.choice(
                (
                    f"Tilbagebetaling af {ydelse} for {periode}",
                    f"For meget udbetalt {ydelse} {periode}",
                    f"Tilbagebetalingskrav {ydelse} {periode}",
                    f"Tilbagebetaling af {ydelse} for {periode} pga. arbejdsindtægt",
                )
            )
        if not nummer:
            return tekst
        return rng.choice(
            (
                f"{tekst} {TANKESTREG} bevilling {nummer}",
                f"{tekst} jf. bevilling {nummer}",
                f"Bev.nr. {nummer} {tekst[0].lower()}{tekst[1:]}",
            )
        )

    # --- konti and money ----------------------------------------------------------------------

    def konto(
        self, borger: Borger, krav: list[Krav], *, kilde: str = KMD_AKTIV, status: str = ""
    ) -> str:
        """Write a debitorkonto with its claims and their dækninger; returns the kontonummer.

        Without ``status`` the konto is AKTIV, now and then AFVENTER_FRIGIVELSE or LUKKET (a
        closed konto owes nothing). VENTER_PAA_DAEKNING konti have claims under collection and
        no payments registered in KY (seed 000); no other KMD Aktiv konto has a claim under
        collection, so KY derives the status written when the extract is imported. Credits
        never exceed a claim's hovedstol.
        """
        rng = self.rng
        self._konto_n += 1
        kontonummer = f"{self._kontoprefix}{self._konto_n:07d}"
        if not status:
            terning = rng.random()
            status = AKTIV if terning < 0.88 else AFVENTER if terning < 0.95 else LUKKET
        if status == LUKKET:
            frigivelse = "FRIGIVET" if rng.random() < 0.6 else "IKKE_FRIGIVET"
        elif status == AFVENTER:
            frigivelse = "IKKE_FRIGIVET"
        else:
            terning = rng.random()
            frigivelse = (
                "IKKE_FRIGIVET" if terning < 0.8 else "FRIGIVET" if terning < 0.92 else "BLOKERET"
            )
        self.ud.skriv(
            DEBITORKONTI,
            (self.kode, kontonummer, borger.cpr_streg, kilde, status, frigivelse, borger.navn),
        )
        self.antal.konti += 1

        ids = [self._naeste_fordringsid() for _ in krav]
        rest = self._posteringer(krav, ids, kilde=kilde, status=status)
        for fid, k, restance in zip(ids, krav, rest, strict=True):
            if restance == 0:
                tilstand, rykker, inddrivelse = "AFSLUTTET", 0, False
            elif status == VENTER:
                tilstand, rykker, inddrivelse = "OPKRAEV", rng.choice((0, 0, 1, 2)), False
            else:
                terning = rng.random()
                if terning < 0.75:
                    tilstand, rykker, inddrivelse = "OPKRAEV", rng.choice((0, 0, 0, 1, 1, 2)), False
                elif terning < 0.83:
                    tilstand, rykker, inddrivelse = "BERO", rng.choice((0, 1)), False
                else:
                    tilstand, rykker, inddrivelse = "INDDRIVELSE", 3, True
                if tilstand == "OPKRAEV" and kilde == KMD_AKTIV:
                    # A claim under collection with no payment registered in KY makes a KMD
                    # Aktiv konto VENTER_PAA_DAEKNING (seed 000), and the extract's dækninger
                    # wait in parking until the konto is linked: a konto meant otherwise has
                    # its open claims in bero.
                    tilstand = "BERO"
            self.ud.skriv(
                FORDRINGER,
                (
                    self.kode,
                    fid,
                    kontonummer,
                    k.reference,
                    k.kode,
                    k.tekst,
                    dato(k.fra),
                    dato(k.til),
                    dato(k.forfald),
                    beloeb(k.hovedstol),
                    tilstand,
                    str(rykker),
                    jn(inddrivelse),
                ),
            )
        self.antal.fordringer += len(krav)
        return kontonummer

    def _naeste_fordringsid(self) -> str:
        self._fordring_n += 1
        return str(300_000_000 + self._fordring_n)

    def _valoer(self, efter: dt.date) -> dt.date:
        dag = efter + _DAGE[5 + int(self._tilfaeldig() * 396)]
        return min(dag, UDTRAEKSDATO)

    def _skriv_postering(
        self, fordringsid: str, art: str, oere: int, valoer: dt.date, indbetalingsid: str = ""
    ) -> None:
        self._daekning_n += 1
        self.ud.skriv(
            DAEKNINGER,
            (
                self.kode,
                str(600_000_000 + self._daekning_n),
                fordringsid,
                art,
                beloeb(oere),
                dato(valoer),
                indbetalingsid,
            ),
        )
        self.antal.daekninger += 1

    def _ny_indbetaling(self) -> str:
        self._indbetaling_n += 1
        self.antal.indbetalinger += 1
        return str(900_000_000 + self._indbetaling_n)

    def _del(self, rest: int) -> int:
        """A part of ``rest`` (at least one krone where possible), sometimes in whole kroner."""
        oere = max(1, int(rest * (0.2 + 0.8 * self.rng.random())))
        if oere > 100 and self.rng.random() < 0.5:
            oere -= oere % 100
        return min(oere, rest)

    def _posteringer(
        self, krav: list[Krav], ids: list[str], *, kilde: str, status: str
    ) -> list[int]:
        """Book dækninger, afskrivninger and nedreguleringer; returns each claim's restance."""
        rng = self.rng
        rest = [k.hovedstol for k in krav]
        if status == LUKKET:
            # Everything paid in one payment, a few small tails written off.
            indbetaling = self._ny_indbetaling()
            valoer = self._valoer(max(k.forfald for k in krav))
            for i in range(len(krav)):
                art = "AFSKRIVNING" if rng.random() < 0.15 else "DAEKNING"
                self._skriv_postering(
                    ids[i], art, rest[i], valoer, indbetaling if art == "DAEKNING" else ""
                )
                rest[i] = 0
            return rest
        if status == VENTER:
            if kilde == KMD_AKTIV and rng.random() < 0.12:
                i = rng.randrange(len(krav))
                oere = self._del(rest[i])
                self._skriv_postering(ids[i], "AFSKRIVNING", oere, self._valoer(krav[i].forfald))
                rest[i] -= oere
            return rest
        andel = 0.4 if kilde == KMD_AKTIV else 0.25
        if rng.random() < andel:
            for _ in range(rng.randint(1, 3)):
                aabne = [i for i in range(len(krav)) if rest[i] > 0]
                if not aabne:
                    break
                daekkes = sorted(rng.sample(aabne, min(len(aabne), rng.randint(1, 3))))
                indbetaling = self._ny_indbetaling()
                valoer = self._valoer(max(krav[i].forfald for i in daekkes))
                for i in daekkes:
                    oere = rest[i] if rng.random() < 0.4 else self._del(rest[i])
                    self._skriv_postering(ids[i], "DAEKNING", oere, valoer, indbetaling)
                    rest[i] -= oere
        for i, k in enumerate(krav):
            if rest[i] == 0:
                continue
            terning = rng.random()
            if terning < 0.05:
                oere = rest[i] if rng.random() < 0.5 else self._del(rest[i])
                self._skriv_postering(ids[i], "AFSKRIVNING", oere, self._valoer(k.forfald))
                rest[i] -= oere
            elif terning < 0.08:
                oere = self._del(rest[i])
                self._skriv_postering(ids[i], "NEDREGULERING", oere, self._valoer(k.forfald))
                rest[i] -= oere
        return rest
