"""Writes of "Vurder, saml og frigiv debitorkonto" (seed 000, DESIGN §1.4).

A caseworker decides on a KMD Aktiv konto: SAML (merge its claims into the borger's KY konto
for the same ydelsestype), FRIGIV (release it to the debitorsystem) or INGEN_SAMLING (no
merge; releasing may follow as a decision of its own). Every decision has a reason, is a new
row in the append-only ``Samlingsbeslutning`` (a decision is changed only by a newer one) and
is audited. The outbox messages are written in the same transaction, keyed by the decision,
so each decision sends exactly one message however often its delivery is retried.

The rules of seed 000's questions and answers, enforced here:

* A released (FRIGIVET) konto is never merged, on either side ("der må ikke samles, hvis
  debitorkonto er blevet frigivet").
* Is the KMD Aktiv konto released but the claim continues in KY, the KY konto is released
  instead ("I de tilfælde vil I blot skulle frigive KY debitorkonto").
* A merged løbende forsørgelsesydelse med tilbagebetalingspligt is merged every month until
  the borger stops on it, and may not be released meanwhile ("Kommunen må derfor ikke
  frigive KMD Aktiv debitorkonto der samles med").
* Deciding not to merge has no consequence in itself; then release or not ("Hvis I vurderer
  at der ikke skal samles, så skal der ikke samles. Så skal I vurdere, hvorvidt debitorkonto
  skal frigives eller ej").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from fordringer.choices import (
    BeskedType,
    Frigivelsestype,
    Kilde,
    PosteringArt,
    SamlingBeslutningType,
)
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import Debitorkonto, Fordring, SamletFordring, Samlingsbeslutning
from fordringer.samling.selectors import (
    konto_ydelsestype_id,
    samles_maanedligt,
    seneste_beslutning,
)
from fordringer.udbakke.services import udgaaende_besked_opret
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "samling"


def b04_noegle(beslutning: Samlingsbeslutning) -> str:
    return f"sf1590-b04-samling-{beslutning.pk}"


def b01_noegle(beslutning: Samlingsbeslutning) -> str:
    return f"sf1590-b01-frigivelse-{beslutning.pk}"


def _frigivet_fejl(konto: Debitorkonto, side: str) -> ConflictError:
    return ConflictError(
        f"{side} {konto.kontonummer} er frigivet og sendt til debitorsystemet. En frigivet "
        "debitorkonto kan ikke samles.",
        felt="beslutning",
    )


def _audit(
    *,
    user: Bruger,
    beslutning: Samlingsbeslutning,
    konti: Iterable[Debitorkonto],
    beskrivelse: str,
) -> None:
    """One audit row per konto the decision concerns, so each konto's history shows it."""
    for objekt in {k.pk: k for k in konti}.values():
        audit_log(
            user=user,
            kommune_id=beslutning.kommune_id,
            handling=f"debitorkonto.{beslutning.beslutning.lower()}",
            objekt=objekt,
            beskrivelse=beskrivelse,
            begrundelse=beslutning.begrundelse,
            data={
                "beslutning_id": beslutning.pk,
                "ky_konto_id": beslutning.ky_konto_id,
                "frigivet_konto_id": beslutning.frigivet_konto_id,
            },
            system=SYSTEM,
        )


def _laas(*, kommune_id: int, konto_id: int, ky_konto_id: int | None) -> dict[int, Debitorkonto]:
    """Lock both konti, in id order like every other service, so two people deciding on the
    same konti at once queue up and the second sees the first's result."""
    ider = {konto_id} | ({ky_konto_id} if ky_konto_id else set())
    return {
        k.pk: k
        for k in Debitorkonto.objects.select_for_update()
        .filter(pk__in=ider, kommune_id=kommune_id)
        .order_by("pk")
    }


def _ky_konto(
    konti: dict[int, Debitorkonto], konto: Debitorkonto, ky_konto_id: int
) -> Debitorkonto:
    ky = konti.get(ky_konto_id)
    if ky is None or ky.kilde != Kilde.KY or ky.borger_id != konto.borger_id or ky.pk == konto.pk:
        raise ApplicationError(
            "Vælg en KY-debitorkonto, der tilhører samme borger.", felt="ky_konto"
        )
    return ky


@transaction.atomic
def samlingsbeslutning_opret(
    *,
    user: Bruger,
    konto_id: int,
    beslutning: SamlingBeslutningType | str,
    begrundelse: str,
    ky_konto_id: int | None = None,
    forventet_seneste_id: int | None = None,
    idag: dt.date | None = None,
) -> Samlingsbeslutning:
    """Record and carry out a caseworker's decision on the KMD Aktiv konto ``konto_id``.

    ``forventet_seneste_id`` is the decision in force when the person opened the screen (0:
    none); if another decision was made meanwhile, nothing happens and a ``ConflictError``
    says so. Bad input or a rule of seed 000 raises an ``ApplicationError`` with a Danish
    message, and nothing changes.
    """
    idag = idag or timezone.localdate()
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise ApplicationError("Skriv en begrundelse for beslutningen.", felt="begrundelse")
    try:
        beslutning = SamlingBeslutningType(beslutning)
    except ValueError as exc:
        raise ApplicationError("Vælg en beslutning.", felt="beslutning") from exc
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        raise ApplicationError("Du er ikke tilknyttet en kommune.")

    konti = _laas(kommune_id=kommune_id, konto_id=konto_id, ky_konto_id=ky_konto_id)
    konto = konti.get(konto_id)
    if konto is None:
        raise ApplicationError("Debitorkontoen findes ikke i kommunen.")
    if konto.kilde != Kilde.KMD_AKTIV:
        raise ApplicationError("Kun en KMD Aktiv-debitorkonto vurderes, samles og frigives her.")
    seneste = seneste_beslutning(konto)
    if forventet_seneste_id is not None and (seneste.pk if seneste else 0) != forventet_seneste_id:
        raise ConflictError(
            "En anden har truffet en beslutning om debitorkontoen, mens du vurderede den. "
            "Se den nye beslutning, og vurder kontoen igen."
        )
    ky = _ky_konto(konti, konto, ky_konto_id) if ky_konto_id else None

    if beslutning == SamlingBeslutningType.SAML:
        truffet = _saml(user=user, konto=konto, ky=ky, begrundelse=begrundelse, idag=idag)
    elif beslutning == SamlingBeslutningType.FRIGIV:
        truffet = _frigiv(user=user, konto=konto, ky=ky, begrundelse=begrundelse, idag=idag)
    else:
        truffet = _ingen_samling(user=user, konto=konto, ky=ky, begrundelse=begrundelse)
    # Merging moves restance from one konto to the other and releasing changes the
    # frigivelsestype: both are facts of the konti's status ("Afventer frigivelse").
    kontostatus_opdater(kommune_id=kommune_id, konto_ids=konti.keys())
    return truffet


def _saml(
    *, user: Bruger, konto: Debitorkonto, ky: Debitorkonto | None, begrundelse: str, idag: dt.date
) -> Samlingsbeslutning:
    """Move every claim with restance to the KY konto through the ledger, and ask the
    debitorsystem to merge the konti (SF1590_B_04)."""
    ky = _saml_kontroller(konto=konto, ky=ky)
    fordringer = list(
        Fordring.objects.select_for_update()
        .filter(konto=konto, restance__gt=0)
        .order_by("forfaldsdato", "pk")
    )
    if not fordringer and konto.samlet_i_id is not None:
        raise ApplicationError(
            "Der er ingen nye fordringer med restance at samle siden sidste samling."
        )

    beslutning = Samlingsbeslutning.objects.create(
        kommune_id=konto.kommune_id,
        konto=konto,
        beslutning=SamlingBeslutningType.SAML,
        begrundelse=begrundelse,
        ky_konto=ky,
        bruger=user,
        antal_fordringer=len(fordringer),
        beloeb=sum((f.restance for f in fordringer), NUL),
    )
    flyttet = [
        _flyt(beslutning=beslutning, fordring=f, konto=konto, ky=ky, user=user, idag=idag)
        for f in fordringer
    ]
    konto.samlet_i = ky
    konto.save(update_fields=["samlet_i"])
    _b04_send(beslutning=beslutning, konto=konto, ky=ky, flyttet=flyttet)
    tekst = (
        f"Debitorkonto {konto.kontonummer} samlet i KY-debitorkonto {ky.kontonummer}: "
        f"{len(flyttet)} fordring{'er' if len(flyttet) != 1 else ''} med restance "
        f"{format_beloeb(beslutning.beloeb)} kr. flyttet."
    )
    _audit(user=user, beslutning=beslutning, konti=(konto, ky), beskrivelse=tekst)
    return beslutning


def _saml_kontroller(*, konto: Debitorkonto, ky: Debitorkonto | None) -> Debitorkonto:
    """Seed 000's rules for merging: neither konto released, a konto merged once is merged on
    into the same KY konto only, and both are for the same (known) ydelsestype. Returns the
    KY konto."""
    if konto.frigivelsestype == Frigivelsestype.FRIGIVET:
        raise _frigivet_fejl(konto, "KMD Aktiv-debitorkonto")
    if ky is None:
        raise ApplicationError("Vælg den KY-debitorkonto, der skal samles i.", felt="ky_konto")
    if ky.frigivelsestype == Frigivelsestype.FRIGIVET:
        raise _frigivet_fejl(ky, "KY-debitorkonto")
    if konto.samlet_i_id is not None and konto.samlet_i_id != ky.pk:
        tidligere = Debitorkonto.objects.get(pk=konto.samlet_i_id).kontonummer
        raise ConflictError(
            f"Debitorkontoen er allerede samlet i {tidligere}; den kan kun samles videre i "
            "samme KY-debitorkonto.",
            felt="ky_konto",
        )
    ydelsestype = konto_ydelsestype_id(konto)
    if ydelsestype is None:
        raise ApplicationError(
            "KMD Aktiv-debitorkontoens ydelsestype kendes ikke. Sagstilknyt kontoen og angiv "
            "ydelsestypen, før den samles."
        )
    if konto_ydelsestype_id(ky) != ydelsestype:
        raise ApplicationError(
            f"KY-debitorkonto {ky.kontonummer} er ikke for samme ydelsestype og kan ikke "
            "samles med.",
            felt="ky_konto",
        )
    return ky


def _b04_send(
    *,
    beslutning: Samlingsbeslutning,
    konto: Debitorkonto,
    ky: Debitorkonto,
    flyttet: Sequence[SamletFordring],
) -> None:
    """The request to the debitorsystem to merge the konti (SF1590_B_04), in the outbox."""
    udgaaende_besked_opret(
        kommune_id=konto.kommune_id,
        type=BeskedType.SF1590_B_04,
        noegle=b04_noegle(beslutning),
        payload={
            "anmodning": "SAMLING",
            "beslutning": beslutning.pk,
            "cpr": konto.borger.cpr,
            "fra_kontonummer": konto.kontonummer,
            "til_kontonummer": ky.kontonummer,
            "beloeb": str(beslutning.beloeb),
            "fordringer": [
                {
                    "fra": s.fra_fordring.fordringsid,
                    "til": s.til_fordring.fordringsid,
                    "beloeb": str(s.beloeb),
                }
                for s in flyttet
            ],
        },
    )


def _nyt_fordringsid(fordring: Fordring, beslutning: Samlingsbeslutning) -> str:
    nyt = f"{fordring.fordringsid}-S{beslutning.pk}"
    return nyt if len(nyt) <= 40 else f"S{beslutning.pk}-{fordring.pk}"


def _flyt(
    *,
    beslutning: Samlingsbeslutning,
    fordring: Fordring,
    konto: Debitorkonto,
    ky: Debitorkonto,
    user: Bruger,
    idag: dt.date,
) -> SamletFordring:
    """One claim: a new claim on the KY konto carrying the restance (its HOVEDSTOL entry, text
    "Samlet fra konto …"), and a SAMLING credit bringing the old claim to 0. The new claim
    keeps the old one's reference, ydelsestype, period, due date and interest regime; interest
    already booked is part of the restance it carries."""
    beloeb = fordring.restance
    ny = Fordring.objects.create(
        kommune_id=fordring.kommune_id,
        fordringsid=_nyt_fordringsid(fordring, beslutning),
        konto=ky,
        kilde=fordring.kilde,
        kmd_aktiv_reference=fordring.kmd_aktiv_reference,
        reference_kilde=fordring.reference_kilde,
        ydelseskode=fordring.ydelseskode,
        ydelsestype_id=fordring.ydelsestype_id,
        tekst=f"Samlet fra konto {konto.kontonummer}: {fordring.tekst}"[:500],
        periode_fra=fordring.periode_fra,
        periode_til=fordring.periode_til,
        forfaldsdato=fordring.forfaldsdato,
        hovedstol=beloeb,
        restance=NUL,
        opkraevningstilstand=fordring.opkraevningstilstand,
        rykkerniveau=fordring.rykkerniveau,
        inddrivelse=fordring.inddrivelse,
        renteregime=fordring.renteregime,
    )
    ud = postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.SAMLING,
        beloeb=beloeb,
        valoerdato=idag,
        user=user,
        tekst=f"Samlet i konto {ky.kontonummer} (fordring {ny.fordringsid})",
        begrundelse=beslutning.begrundelse,
        system=SYSTEM,
    )
    ind = postering_bogfoer(
        fordring=ny,
        art=PosteringArt.HOVEDSTOL,
        beloeb=beloeb,
        valoerdato=idag,
        user=user,
        tekst=f"Samlet fra konto {konto.kontonummer} (fordring {fordring.fordringsid})",
        begrundelse=beslutning.begrundelse,
        system=SYSTEM,
    )
    return SamletFordring.objects.create(
        kommune_id=fordring.kommune_id,
        beslutning=beslutning,
        fra_fordring=fordring,
        til_fordring=ny,
        beloeb=beloeb,
        ud_postering=ud,
        ind_postering=ind,
    )


def _frigiv(
    *, user: Bruger, konto: Debitorkonto, ky: Debitorkonto | None, begrundelse: str, idag: dt.date
) -> Samlingsbeslutning:
    """Release the KMD Aktiv konto, or, when it is already released and the claim continues
    in KY, the borger's KY konto instead; the debitorsystem gets a DebitorRegistrering
    (SF1590_B_01)."""
    if konto.frigivelsestype != Frigivelsestype.FRIGIVET:
        if samles_maanedligt(konto, idag):
            raise ConflictError(
                "Debitorkontoen er en løbende forsørgelsesydelse med tilbagebetalingspligt, der "
                "samles hver måned. Den må ikke frigives, før borgeren er stoppet på ydelsen.",
                felt="beslutning",
            )
        maal = konto
    else:
        if ky is None:
            raise ApplicationError(
                "KMD Aktiv-debitorkontoen er allerede frigivet. Fortsætter kravet i KY, skal "
                "KY-debitorkontoen frigives i stedet: vælg den.",
                felt="ky_konto",
            )
        if ky.frigivelsestype == Frigivelsestype.FRIGIVET:
            raise ConflictError(
                f"KY-debitorkonto {ky.kontonummer} er allerede frigivet.", felt="ky_konto"
            )
        maal = ky

    beslutning = Samlingsbeslutning.objects.create(
        kommune_id=konto.kommune_id,
        konto=konto,
        beslutning=SamlingBeslutningType.FRIGIV,
        begrundelse=begrundelse,
        ky_konto=ky if maal is ky else None,
        frigivet_konto=maal,
        bruger=user,
    )
    maal.frigivelsestype = Frigivelsestype.FRIGIVET
    maal.save(update_fields=["frigivelsestype"])

    fordringer = list(
        Fordring.objects.filter(konto=maal, restance__gt=0)
        .order_by("forfaldsdato", "pk")
        .values_list("fordringsid", "restance")
    )
    udgaaende_besked_opret(
        kommune_id=konto.kommune_id,
        type=BeskedType.SF1590_B_01,
        noegle=b01_noegle(beslutning),
        payload={
            "registrering": "FRIGIVELSE",
            "beslutning": beslutning.pk,
            "cpr": maal.borger.cpr,
            "kontonummer": maal.kontonummer,
            "kilde": maal.kilde,
            "frigivelsestype": Frigivelsestype.FRIGIVET.value,
            "fordringer": [{"fordringsid": f, "restance": str(r)} for f, r in fordringer],
        },
    )
    tekst = f"Debitorkonto {maal.kontonummer} frigivet til debitorsystemet" + (
        f" i stedet for KMD Aktiv-debitorkonto {konto.kontonummer}." if maal is ky else "."
    )
    _audit(user=user, beslutning=beslutning, konti=(konto, maal), beskrivelse=tekst)
    return beslutning


def _ingen_samling(
    *, user: Bruger, konto: Debitorkonto, ky: Debitorkonto | None, begrundelse: str
) -> Samlingsbeslutning:
    """Record that the konto is not merged; nothing else changes (seed 000: "Der er ingen
    konsekvens for borger, sagen eller sagsbehandler")."""
    beslutning = Samlingsbeslutning.objects.create(
        kommune_id=konto.kommune_id,
        konto=konto,
        beslutning=SamlingBeslutningType.INGEN_SAMLING,
        begrundelse=begrundelse,
        ky_konto=ky,
        bruger=user,
    )
    _audit(
        user=user,
        beslutning=beslutning,
        konti=(konto,),
        beskrivelse=f"Vurderet: debitorkonto {konto.kontonummer} samles ikke.",
    )
    return beslutning
