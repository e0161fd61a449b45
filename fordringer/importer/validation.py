"""The five files of the extract: their columns, and the row checks that need no other row.

Each file has a ``Filspec``: the contract's columns (DESIGN §6, plus the optional ``navn``),
the staging table the valid rows go to, and a converter that turns one CSV row into one
staging row or raises ``RaekkeFejl``. Checks across rows and files (duplicates, references,
the ledger) run afterwards in SQL (``kontrol.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fordringer.choices import (
    DaekningArt,
    Frigivelsestype,
    Kilde,
    KontoStatus,
    Opkraevningstilstand,
    SagStatus,
)

from .parsing import (
    IKKE_FOERST_I_ID,
    JA_NEJ,
    NULL,
    Felter,
    RaekkeFejl,
    fri_tekst,
    ja_nej,
    noegle,
    valg,
    valgfri_noegle,
)

Raekke = tuple[str, ...]
Omformer = Callable[[str, Sequence[str]], Raekke]

BATCH = 10_000
MAKS_RYKKERNIVEAU = 32767

SAG_STATUS = {v: v for v in SagStatus.values} | {"": SagStatus.AABEN.value}
KILDER = {v: v for v in Kilde.values}
KONTO_STATUS = {v: v for v in KontoStatus.values} | {"": KontoStatus.AKTIV.value}
FRIGIVELSESTYPER = {v: v for v in Frigivelsestype.values} | {
    "": Frigivelsestype.IKKE_FRIGIVET.value
}
OPKRAEVNINGSTILSTANDE = {v: v for v in Opkraevningstilstand.values} | {
    "": Opkraevningstilstand.OPKRAEV.value
}
DAEKNINGSARTER = {v: v for v in DaekningArt.values}


@dataclass(frozen=True)
class Filspec:
    """One file of the extract and the staging table its valid rows are copied to.

    ``staging`` names the staging columns with their kind (``heltal``, ``tekst``, ``dato``,
    ``flag``); the first two are always the row number and the kommune id.
    """

    fil: str
    tabel: str
    kolonner: tuple[str, ...]
    valgfri: tuple[str, ...]
    staging: tuple[tuple[str, str], ...]
    omformer: Callable[[Felter], Omformer]

    @property
    def alle_kolonner(self) -> tuple[str, ...]:
        return self.kolonner + self.valgfri


def valider(
    raekker: Iterable[tuple[int, Sequence[str]]],
    omform: Omformer,
    fejl: Callable[[int, str, Sequence[str]], None],
    ud: Callable[[list[Raekke]], None],
) -> int:
    """Convert every row; send valid ones to ``ud`` in batches, bad ones to ``fejl``.

    Returns the number of data rows seen.
    """
    batch: list[Raekke] = []
    antal = 0
    for linje, felter in raekker:
        antal += 1
        try:
            batch.append(omform(str(linje), felter))
        except RaekkeFejl as exc:
            fejl(linje, exc.aarsag, felter)
            continue
        if len(batch) >= BATCH:
            ud(batch)
            batch = []
    if batch:
        ud(batch)
    return antal


def _sager(f: Felter) -> Omformer:
    kommune, ydelse = f.kommune, f.ydelsestype

    def raekke(linje: str, felter: Sequence[str]) -> Raekke:
        k, sagsnummer, cpr, kode, status, navn = felter
        kode = fri_tekst(kode, "ydelseskode", 20)
        return (
            linje,
            kommune.get(k) or f.kommune_ny(k),
            noegle(sagsnummer, "sagsnummer"),
            f.cpr(cpr),
            kode,
            ydelse.get(kode) or f.ydelsestype_ny(kode),
            valg(status, "status", SAG_STATUS),
            fri_tekst(navn, "navn", 200),
        )

    return raekke


def _bevillinger(f: Felter) -> Omformer:
    kommune, dato = f.kommune, f.dato

    def raekke(linje: str, felter: Sequence[str]) -> Raekke:
        k, nummer, cpr, kode, fra, til, pligt, loebende, sagsnummer, navn = felter
        kid = kommune.get(k) or f.kommune_ny(k)
        nummer = noegle(nummer, "bevillingsnummer")
        fra = dato.get(fra) or f.dato_ny(fra, "periode_fra")
        til = dato.get(til) or f.dato_ny(til, "periode_til")
        if fra is NULL:
            raise RaekkeFejl("periode_fra mangler")
        if til is not NULL and til < fra:
            raise RaekkeFejl("periode_til ligger før periode_fra")
        return (
            linje,
            kid,
            nummer,
            f.cpr(cpr),
            fri_tekst(kode, "ydelseskode", 20),
            fra,
            til,
            ja_nej(pligt, "tilbagebetalingspligt"),
            ja_nej(loebende, "loebende"),
            valgfri_noegle(sagsnummer, "sagsnummer"),
            fri_tekst(navn, "navn", 200),
        )

    return raekke


def _debitorkonti(f: Felter) -> Omformer:
    kommune = f.kommune

    def raekke(linje: str, felter: Sequence[str]) -> Raekke:
        k, kontonummer, cpr, kilde, status, frigivelsestype, navn = felter
        return (
            linje,
            kommune.get(k) or f.kommune_ny(k),
            noegle(kontonummer, "kontonummer"),
            f.cpr(cpr),
            valg(kilde, "kilde", KILDER),
            valg(status, "status", KONTO_STATUS),
            valg(frigivelsestype, "frigivelsestype", FRIGIVELSESTYPER),
            fri_tekst(navn, "navn", 200),
        )

    return raekke


def _fordringer(f: Felter) -> Omformer:
    kommune, dato, oere, ydelse, heltal = f.kommune, f.dato, f.oere, f.ydelsestype, f.heltal
    tilstande, flag = OPKRAEVNINGSTILSTANDE, JA_NEJ

    def raekke(linje: str, felter: Sequence[str]) -> Raekke:
        k, fid, konto, ref, kode, tekst, fra, til, forfald, hovedstol, tilstand, rykker, indd = (
            felter
        )
        kid = kommune.get(k) or f.kommune_ny(k)
        fid = fid.strip()
        if not fid or len(fid) > 40 or fid[0] in IKKE_FOERST_I_ID:
            fid = noegle(fid, "fordringsid")
        konto = konto.strip()
        if not konto or len(konto) > 40 or konto[0] in IKKE_FOERST_I_ID:
            konto = noegle(konto, "kontonummer")
        ref = ref.strip()
        if ref and ref[0] in IKKE_FOERST_I_ID:
            ref = valgfri_noegle(ref, "kmd_aktiv_reference")
        if len(ref) > 40 or len(kode) > 20 or len(tekst) > 500:
            ref = fri_tekst(ref, "kmd_aktiv_reference", 40)
            kode = fri_tekst(kode, "ydelseskode", 20)
            tekst = fri_tekst(tekst, "tekst", 500)
        hovedstol = oere.get(hovedstol) or f.beloeb_ny(hovedstol, "hovedstol")
        if hovedstol[0] == "-" or hovedstol == "0":
            raise RaekkeFejl("hovedstol skal være større end 0,00 kr.")
        return (
            linje,
            kid,
            fid,
            konto,
            ref,
            kode.strip(),
            ydelse.get(kode) or f.ydelsestype_ny(kode),
            tekst.strip(),
            dato.get(fra) or f.dato_ny(fra, "periode_fra"),
            dato.get(til) or f.dato_ny(til, "periode_til"),
            dato.get(forfald) or f.dato_ny(forfald, "forfaldsdato"),
            hovedstol,
            tilstande.get(tilstand) or valg(tilstand, "opkraevningstilstand", tilstande),
            heltal.get(rykker) or f.heltal_ny(rykker, "rykkerniveau", MAKS_RYKKERNIVEAU),
            flag.get(indd) or ja_nej(indd, "inddrivelse"),
        )

    return raekke


def _daekninger(f: Felter) -> Omformer:
    kommune, dato, oere = f.kommune, f.dato, f.oere
    arter = DAEKNINGSARTER

    def raekke(linje: str, felter: Sequence[str]) -> Raekke:
        k, did, fid, art, beloeb, valoer, indbetaling = felter
        kid = kommune.get(k) or f.kommune_ny(k)
        did = did.strip()
        if not did or len(did) > 40 or did[0] in IKKE_FOERST_I_ID:
            did = noegle(did, "daekningsid")
        fid = fid.strip()
        if not fid or len(fid) > 40 or fid[0] in IKKE_FOERST_I_ID:
            fid = noegle(fid, "fordringsid")
        art = arter.get(art) or valg(art, "art", arter)
        # Exports differ in the sign of a credit; it is always the absolute amount.
        beloeb = oere.get(beloeb) or f.beloeb_ny(beloeb, "beloeb")
        if beloeb[0] == "-":
            beloeb = beloeb[1:]
        if beloeb == "0":
            raise RaekkeFejl("beloeb må ikke være 0,00 kr.")
        valoer = dato.get(valoer) or f.dato_ny(valoer, "valoerdato")
        if valoer is NULL:
            raise RaekkeFejl("valoerdato mangler")
        indbetaling = indbetaling.strip()
        if len(indbetaling) > 40 or indbetaling[:1] in tuple(IKKE_FOERST_I_ID):
            indbetaling = valgfri_noegle(indbetaling, "indbetalingsid")
        return (linje, kid, did, fid, art, beloeb, valoer, indbetaling)

    return raekke


_START = (("linje", "heltal"), ("kommune_id", "heltal"))

FILER: tuple[Filspec, ...] = (
    Filspec(
        fil="sager.csv",
        tabel="imp_sager",
        kolonner=("kommunekode", "sagsnummer", "cpr", "ydelseskode", "status"),
        valgfri=("navn",),
        staging=(
            *_START,
            ("sagsnummer", "tekst"),
            ("cpr", "tekst"),
            ("ydelseskode", "tekst"),
            ("ydelsestype_id", "heltal"),
            ("status", "tekst"),
            ("navn", "tekst"),
        ),
        omformer=_sager,
    ),
    Filspec(
        fil="bevillinger.csv",
        tabel="imp_bevillinger",
        kolonner=(
            "kommunekode",
            "bevillingsnummer",
            "cpr",
            "ydelseskode",
            "periode_fra",
            "periode_til",
            "tilbagebetalingspligt",
            "loebende",
            "sagsnummer",
        ),
        valgfri=("navn",),
        staging=(
            *_START,
            ("bevillingsnummer", "tekst"),
            ("cpr", "tekst"),
            ("ydelseskode", "tekst"),
            ("periode_fra", "dato"),
            ("periode_til", "dato"),
            ("tilbagebetalingspligt", "flag"),
            ("loebende", "flag"),
            ("sagsnummer", "tekst"),
            ("navn", "tekst"),
        ),
        omformer=_bevillinger,
    ),
    Filspec(
        fil="debitorkonti.csv",
        tabel="imp_debitorkonti",
        kolonner=("kommunekode", "kontonummer", "cpr", "kilde", "status", "frigivelsestype"),
        valgfri=("navn",),
        staging=(
            *_START,
            ("kontonummer", "tekst"),
            ("cpr", "tekst"),
            ("kilde", "tekst"),
            ("status", "tekst"),
            ("frigivelsestype", "tekst"),
            ("navn", "tekst"),
        ),
        omformer=_debitorkonti,
    ),
    Filspec(
        fil="fordringer.csv",
        tabel="imp_fordringer",
        kolonner=(
            "kommunekode",
            "fordringsid",
            "kontonummer",
            "kmd_aktiv_reference",
            "ydelseskode",
            "tekst",
            "periode_fra",
            "periode_til",
            "forfaldsdato",
            "hovedstol",
            "opkraevningstilstand",
            "rykkerniveau",
            "inddrivelse",
        ),
        valgfri=(),
        staging=(
            *_START,
            ("fordringsid", "tekst"),
            ("kontonummer", "tekst"),
            ("kmd_aktiv_reference", "tekst"),
            ("ydelseskode", "tekst"),
            ("ydelsestype_id", "heltal"),
            ("tekst", "tekst"),
            ("periode_fra", "dato"),
            ("periode_til", "dato"),
            ("forfaldsdato", "dato"),
            ("hovedstol", "heltal"),
            ("opkraevningstilstand", "tekst"),
            ("rykkerniveau", "heltal"),
            ("inddrivelse", "flag"),
        ),
        omformer=_fordringer,
    ),
    Filspec(
        fil="daekninger.csv",
        tabel="imp_daekninger",
        kolonner=(
            "kommunekode",
            "daekningsid",
            "fordringsid",
            "art",
            "beloeb",
            "valoerdato",
            "indbetalingsid",
        ),
        valgfri=(),
        staging=(
            *_START,
            ("daekningsid", "tekst"),
            ("fordringsid", "tekst"),
            ("art", "tekst"),
            ("beloeb", "heltal"),
            ("valoerdato", "dato"),
            ("indbetalingsid", "tekst"),
        ),
        omformer=_daekninger,
    ),
)
