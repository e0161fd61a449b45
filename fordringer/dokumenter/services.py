"""Ordering, rendering, storing and sending documents (issue #20).

A document is ordered (``*_bestil``: a ``Dokument`` row, audited) and rendered once
(``dokument_dan``): the PDF and its SHA-256 are written together and the row is locked from then
on (``fordringer.models.dokument``). A small document is rendered in the request that ordered
it; a large kontoudtog (more entries than ``KY_DOKUMENT_BAGGRUND_LINJER``) and every letter an
ompostering sends are rendered by a Celery worker after commit, with progress on the row as the
exports in ``rapporter`` have. A letter (``send``) goes to its recipient by Digital Post through
the outbox (``BeskedType.DIGITAL_POST``, idempotency key ``digitalpost:dokument:<id>``); a
Bogholder can send it again (``dokument_gensend``), audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fordringer.choices import BeskedType, DokumentStatus, DokumentType
from fordringer.dokumenter import selectors
from fordringer.dokumenter.pdf import html_dan, pdf_dan, sha256
from fordringer.models import (
    Borger,
    Debitorkonto,
    Dokument,
    Ompostering,
    Samlingsbeslutning,
    Udbetaling,
    UdgaaendeBesked,
)
from fordringer.udbakke.services import udgaaende_besked_opret
from ky_debitor.audit import audit_log, opslag_log
from ky_debitor.errors import ApplicationError, ConflictError
from ky_debitor.koe import efter_commit
from ky_debitor.roles import Rolle, has_role
from ky_debitor.visning import dato as dato_tekst

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

logger = logging.getLogger(__name__)

SYSTEM = "dokumenter"


# --- Ordering -------------------------------------------------------------------------------


def _bestil(
    *,
    user: Bruger | None,
    type: DokumentType,
    titel: str,
    borger: Borger,
    modtager_navn: str,
    send: bool,
    antal: int,
    parametre: dict[str, Any] | None = None,
    **emne: Any,
) -> Dokument:
    dokument = Dokument.objects.create(
        kommune_id=borger.kommune_id,
        type=type,
        titel=titel[:200],
        borger=borger,
        modtager_navn=modtager_navn[:200] or "Borgeren",
        send=send,
        antal=antal,
        parametre=parametre or {},
        oprettet_af=user,
        **emne,
    )
    audit_log(
        user=user,
        kommune_id=borger.kommune_id,
        handling="dokument.bestilt",
        objekt=dokument,
        beskrivelse=f"{dokument.titel} til {dokument.modtager_navn} bestilt"
        + (" (sendes med Digital Post)" if send else "")
        + ".",
        data={"type": type, **(parametre or {})},
        system=SYSTEM,
    )
    return dokument


def _dan_nu_eller_senere(dokument: Dokument, *, baggrund: bool) -> Dokument:
    if baggrund:
        from fordringer.tasks import dokument_dan as opgave  # the task calls back into here

        efter_commit(opgave, dokument.pk)
        return dokument
    return dokument_dan(dokument_id=dokument.pk)


def dokument_bestil_og_dan(
    *,
    user: Bruger,
    type: DokumentType,
    titel: str,
    borger: Borger,
    modtager_navn: str,
    send: bool,
    parametre: dict[str, Any],
    **emne: Any,
) -> Dokument:
    """Order a one-page letter and render it at once, inside the caller's transaction: for an
    act whose letter is part of it (a reminder and its fee), so either both stand or neither."""
    dokument = _bestil(
        user=user,
        type=type,
        titel=titel,
        borger=borger,
        modtager_navn=modtager_navn,
        send=send,
        antal=1,
        parametre=parametre,
        **emne,
    )
    return dokument_dan(dokument_id=dokument.pk)


def periode_valider(fra: dt.date | None, til: dt.date | None, *, idag: dt.date) -> dt.date:
    til = til or idag
    if fra is not None and fra > til:
        raise ApplicationError("Periodens startdato ligger efter slutdatoen.")
    return til


def kontoudtog_bestil(
    *,
    user: Bruger,
    konto_id: int,
    fra: dt.date | None = None,
    til: dt.date | None = None,
    send: bool = False,
    baggrund: bool | None = None,
) -> Dokument:
    """A kontoudtog of the konto for ``fra`` to ``til`` (default: everything up to today)."""
    konto = Debitorkonto.objects.for_user(user).select_related("borger").filter(pk=konto_id).first()
    if konto is None:
        raise ApplicationError("Debitorkontoen findes ikke.")
    til = periode_valider(fra, til, idag=timezone.localdate())
    antal = selectors.kontoudtog_antal_linjer(konto)
    periode = f"{dato_tekst(fra) or 'første postering'} til {dato_tekst(til)}"
    with transaction.atomic():
        dokument = _bestil(
            user=user,
            type=DokumentType.KONTOUDTOG,
            titel=f"Kontoudtog for konto {konto.kontonummer}, {periode}",
            borger=konto.borger,
            modtager_navn=konto.borger.navn,
            send=send,
            antal=antal,
            parametre={"fra": fra.isoformat() if fra else "", "til": til.isoformat()},
            konto=konto,
        )
    if baggrund is None:
        baggrund = antal > settings.KY_DOKUMENT_BAGGRUND_LINJER
    return _dan_nu_eller_senere(dokument, baggrund=baggrund)


def kontooversigt_bestil(
    *, user: Bruger, borger_id: int, send: bool = False, baggrund: bool = False
) -> Dokument:
    """A kontooversigt of all the borger's konti."""
    borger = Borger.objects.for_user(user).filter(pk=borger_id).first()
    if borger is None:
        raise ApplicationError("Borgeren findes ikke.")
    with transaction.atomic():
        dokument = _bestil(
            user=user,
            type=DokumentType.KONTOOVERSIGT,
            titel=f"Kontooversigt pr. {dato_tekst(timezone.localdate())}",
            borger=borger,
            modtager_navn=borger.navn,
            send=send,
            antal=borger.konti.count(),
        )
    return _dan_nu_eller_senere(dokument, baggrund=baggrund)


def ompostering_breve_bestil(*, ompostering: Ompostering, user: Bruger) -> list[Dokument]:
    """The letters an ompostering sends (seed 004): one to each borger whose konto it touched
    and, when the caseworker wrote a note for an alternative recipient, one to him (trin 8).

    Runs inside ``ompostering_opret``; the letters are rendered and sent after commit.
    """
    borgere = [ompostering.fra_borger]
    if ompostering.til_borger_id != ompostering.fra_borger_id:
        borgere.append(ompostering.til_borger)
    breve = [
        _bestil(
            user=user,
            type=DokumentType.OMPOSTERING,
            titel="Ompostering af en indbetaling",
            borger=borger,
            modtager_navn=borger.navn,
            send=True,
            antal=1,
            ompostering=ompostering,
        )
        for borger in borgere
    ]
    if ompostering.note:
        for udbetaling in ompostering.udbetalinger.select_related(
            "modtager_alternativ", "modtager_borger"
        ):
            if udbetaling.modtager_alternativ is None and udbetaling.modtager_borger is None:
                continue
            breve.append(
                _bestil(
                    user=user,
                    type=DokumentType.OMPOSTERING,
                    titel="Meddelelse om ompostering og udbetaling",
                    borger=ompostering.til_borger,
                    modtager_navn=udbetaling.modtager_navn,
                    send=True,
                    antal=1,
                    ompostering=ompostering,
                    udbetaling=udbetaling,
                    modtager_alternativ=udbetaling.modtager_alternativ,
                    parametre={"alternativ": True},
                )
            )
    for brev in breve:
        _dan_nu_eller_senere(brev, baggrund=True)
    return breve


def tilbagefoersel_breve_bestil(
    *, ompostering: Ompostering, user: Bruger, begrundelse: str, links_til: int
) -> list[Dokument]:
    """The letters an undone ompostering sends: each borger whose konto it touched reads that
    the dækninger stand again as before, and why. Runs inside ``ompostering_tilbagefoer``;
    rendered and sent after commit."""
    borgere = [ompostering.fra_borger]
    if ompostering.til_borger_id != ompostering.fra_borger_id:
        borgere.append(ompostering.til_borger)
    breve = [
        _bestil(
            user=user,
            type=DokumentType.OMPOSTERING,
            titel="Tilbageførsel af en ompostering",
            borger=borger,
            modtager_navn=borger.navn,
            send=True,
            antal=1,
            ompostering=ompostering,
            parametre={
                "tilbagefoert": True,
                "begrundelse": begrundelse.strip()[:255],
                "links_til": links_til,
            },
        )
        for borger in borgere
    ]
    for brev in breve:
        _dan_nu_eller_senere(brev, baggrund=True)
    return breve


def samling_brev_bestil(*, user: Bruger, beslutning_id: int, send: bool = True) -> Dokument:
    """The letter about a samling or frigivelse decision (seed 000)."""
    beslutning = (
        Samlingsbeslutning.objects.for_user(user)
        .select_related("konto__borger")
        .filter(pk=beslutning_id)
        .first()
    )
    if beslutning is None:
        raise ApplicationError("Beslutningen findes ikke.")
    if beslutning.beslutning not in ("SAML", "FRIGIV"):
        raise ApplicationError("Der sendes kun brev om en samling eller en frigivelse.")
    borger = beslutning.konto.borger
    with transaction.atomic():
        dokument = _bestil(
            user=user,
            type=DokumentType.SAMLING,
            titel="Samling af dine konti"
            if beslutning.beslutning == "SAML"
            else "Frigivelse af din konto",
            borger=borger,
            modtager_navn=borger.navn,
            send=send,
            antal=1,
            konto=beslutning.konto,
            samlingsbeslutning=beslutning,
        )
    return _dan_nu_eller_senere(dokument, baggrund=False)


def udbetaling_meddelelse_bestil(
    *, user: Bruger, udbetaling_id: int, send: bool = True, baggrund: bool = False
) -> Dokument:
    """The payout notice (amount, channel, recipient) to the payout's recipient."""
    udbetaling = (
        Udbetaling.objects.for_user(user)
        .select_related(
            "borger",
            "modtager_borger",
            "modtager_alternativ",
            "ompostering",
            "sagsbehandlerfordeling",
        )
        .filter(pk=udbetaling_id)
        .first()
    )
    if udbetaling is None:
        raise ApplicationError("Udbetalingen findes ikke.")
    with transaction.atomic():
        dokument = _bestil(
            user=user,
            type=DokumentType.UDBETALING,
            titel="Meddelelse om udbetaling",
            borger=udbetaling.modtager_borger or udbetaling.borger,
            modtager_navn=udbetaling.modtager_navn,
            send=send,
            antal=1,
            udbetaling=udbetaling,
            ompostering=udbetaling.ompostering,
            modtager_alternativ=udbetaling.modtager_alternativ,
        )
    return _dan_nu_eller_senere(dokument, baggrund=baggrund)


# --- Rendering ------------------------------------------------------------------------------


def dokument_html(dokument: Dokument) -> str:
    """The HTML a document is rendered from (also what the markup tests read)."""
    skabelon, kontekst = _indhold(dokument)
    kontekst |= {
        "dokument": dokument,
        "hoved": selectors.brevhoved(dokument.kommune, dato=timezone.localdate()),
    }
    return html_dan(skabelon, kontekst)


def _dato(tekst: str) -> dt.date | None:
    return dt.date.fromisoformat(tekst) if tekst else None


def _indhold(dokument: Dokument) -> tuple[str, dict[str, Any]]:
    if dokument.type == DokumentType.KONTOUDTOG:
        assert dokument.konto is not None
        data: Any = selectors.kontoudtog_data(
            konto=dokument.konto,
            fra=_dato(dokument.parametre.get("fra", "")),
            til=_dato(dokument.parametre["til"]) or timezone.localdate(),
        )
        return "kontoudtog.html", {"udtog": data}
    if dokument.type == DokumentType.KONTOOVERSIGT:
        return "kontooversigt.html", {
            "oversigt": selectors.kontooversigt_data(borger=dokument.borger)
        }
    if dokument.type == DokumentType.OMPOSTERING:
        assert dokument.ompostering is not None
        data = selectors.ompostering_brev_data(
            ompostering=dokument.ompostering,
            borger=dokument.borger,
            til_alternativ=bool(dokument.parametre.get("alternativ")),
            links_til=dokument.parametre.get("links_til"),
        )
        return "ompostering.html", {
            "brev": data,
            "tilbagefoert": bool(dokument.parametre.get("tilbagefoert")),
            "begrundelse": dokument.parametre.get("begrundelse", ""),
        }
    if dokument.type == DokumentType.SAMLING:
        assert dokument.samlingsbeslutning is not None
        return "samling.html", {
            "brev": selectors.samling_brev_data(beslutning=dokument.samlingsbeslutning)
        }
    if dokument.type == DokumentType.UDBETALING:
        return "udbetaling.html", {"udbetaling": dokument.udbetaling}
    if dokument.type == DokumentType.RYKKER:
        assert dokument.fordring is not None
        return "rykker.html", {
            "rykker": selectors.rykker_brev_data(
                fordring=dokument.fordring, parametre=dokument.parametre
            )
        }
    raise ApplicationError(f"Ukendt dokumenttype {dokument.type}.")


def dokument_dan(*, dokument_id: int) -> Dokument:
    """Render a document once, however many workers are asked to: the PDF and its hash are
    written under the row's lock, and a document already done is left as it is.

    A failure marks it FEJLET with a Danish message (and is raised for the worker's log).
    """
    dokument = (
        Dokument.objects.select_related(
            "kommune",
            "borger",
            "konto__borger",
            "fordring__ydelsestype",
            "ompostering",
            "udbetaling",
            "samlingsbeslutning",
        )
        .defer("pdf")
        .get(pk=dokument_id)
    )
    if not dokument.er_aktiv:
        return dokument
    Dokument.objects.filter(pk=dokument.pk, sha256="").update(
        status=DokumentStatus.KOERER, startet=timezone.now(), skrevet=0
    )
    try:
        html = dokument_html(dokument)
        halvt = max(1, dokument.antal // 2)
        Dokument.objects.filter(pk=dokument.pk, sha256="").update(skrevet=halvt)
        pdf = pdf_dan(html)
    except Exception:
        logger.exception("Dokument %s kunne ikke dannes", dokument.pk)
        Dokument.objects.filter(pk=dokument.pk, sha256="").update(
            status=DokumentStatus.FEJLET,
            fejl="Dokumentet kunne ikke dannes. Prøv igen, eller kontakt driften.",
            faerdig=timezone.now(),
        )
        raise
    return _gem(dokument_id=dokument.pk, pdf=pdf)


@transaction.atomic
def _gem(*, dokument_id: int, pdf: bytes) -> Dokument:
    dokument = Dokument.objects.select_for_update().select_related("borger").get(pk=dokument_id)
    if dokument.sha256:  # another worker got there first
        return dokument
    dokument.pdf = pdf
    dokument.sha256 = sha256(pdf)
    dokument.stoerrelse = len(pdf)
    dokument.status = DokumentStatus.FAERDIG
    dokument.skrevet = dokument.antal
    dokument.faerdig = timezone.now()
    dokument.fejl = ""
    dokument.save()
    audit_log(
        user=None,
        kommune_id=dokument.kommune_id,
        handling="dokument.dannet",
        objekt=dokument,
        beskrivelse=f"{dokument.titel} dannet ({len(pdf)} byte, SHA-256 {dokument.sha256}).",
        data={"sha256": dokument.sha256},
        system=SYSTEM,
    )
    if dokument.send:
        _send(dokument, noegle=f"digitalpost:dokument:{dokument.pk}")
    return dokument


def dokument_pdf(
    *,
    type: DokumentType,
    borger: Borger,
    konto: Debitorkonto | None = None,
    fra: dt.date | None = None,
    til: dt.date | None = None,
    system: str = "manage.py dokument",
) -> bytes:
    """The same PDF a person orders on screen, for a batch run (``manage.py dokument``): not
    stored, but the reading of the borger's data is audited under ``system``."""
    til = periode_valider(fra, til, idag=timezone.localdate())
    dokument = Dokument(
        kommune=borger.kommune,
        type=type,
        borger=borger,
        konto=konto,
        modtager_navn=borger.navn,
        parametre={"fra": fra.isoformat() if fra else "", "til": til.isoformat()},
    )
    dokument.titel = (
        f"Kontoudtog for konto {konto.kontonummer}" if konto is not None else "Kontooversigt"
    )
    pdf = pdf_dan(dokument_html(dokument))
    audit_log(
        user=None,
        kommune_id=borger.kommune_id,
        handling="dokument.udskrevet",
        objekt=konto if konto is not None else borger,
        beskrivelse=f"{dokument.titel} dannet til fil ({len(pdf)} byte, SHA-256 {sha256(pdf)}).",
        data={"type": type, "fra": dokument.parametre["fra"], "til": dokument.parametre["til"]},
        system=system,
    )
    return pdf


def dokumenter_ventende(*, nu: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """Documents ordered over a minute ago that no worker has started (the queue was away)."""
    nu = nu or timezone.now()
    return list(
        Dokument.objects.filter(
            status=DokumentStatus.VENTER, oprettet__lte=nu - dt.timedelta(minutes=1)
        )
        .order_by("oprettet", "id")
        .values_list("pk", flat=True)[:limit]
    )


# --- Sending --------------------------------------------------------------------------------


def _modtager(dokument: Dokument) -> dict[str, str]:
    """Where Digital Post delivers: the borger by CPR; an alternative recipient by CVR/CPR, or
    by address for physical post when he has neither."""
    if dokument.modtager_alternativ is not None:
        alternativ = dokument.modtager_alternativ
        ident = alternativ.identifikation
        return (
            {
                "navn": alternativ.navn,
                "cvr" if len(ident) == 8 else "cpr": ident,
                "adresse": alternativ.adresse,
            }
            if ident
            else {"navn": alternativ.navn, "adresse": alternativ.adresse}
        )
    return {"navn": dokument.borger.navn, "cpr": dokument.borger.cpr}


def _send(dokument: Dokument, *, noegle: str) -> UdgaaendeBesked:
    if dokument.modtager_alternativ_id is not None and dokument.modtager_alternativ is None:
        dokument.refresh_from_db(fields=["modtager_alternativ"])
    return udgaaende_besked_opret(
        kommune_id=dokument.kommune_id,
        type=BeskedType.DIGITAL_POST,
        noegle=noegle,
        payload={
            "dokument_id": dokument.pk,
            "dokumenttype": dokument.type,
            "titel": dokument.titel,
            "sha256": dokument.sha256,
            "filnavn": dokument.filnavn,
            "modtager": _modtager(dokument),
        },
    )


@transaction.atomic
def dokument_gensend(*, user: Bruger, dokument_id: int, begrundelse: str = "") -> UdgaaendeBesked:
    """A Bogholder sends a stored letter again, unchanged (same PDF, same hash), under a new
    idempotency key. Audited."""
    if not has_role(user, Rolle.BOGHOLDER):
        raise ApplicationError("Kun en bogholder kan sende et dokument igen.")
    dokument = (
        Dokument.objects.for_user(user)
        .select_for_update(of=("self",))
        .select_related("borger", "konto")
        .defer("pdf")
        .filter(pk=dokument_id)
        .first()
    )
    if dokument is None:
        raise ApplicationError("Dokumentet findes ikke.")
    if dokument.status != DokumentStatus.FAERDIG:
        raise ConflictError("Dokumentet er ikke dannet endnu og kan ikke sendes.")
    tidligere = UdgaaendeBesked.objects.filter(
        noegle__startswith=f"digitalpost:dokument:{dokument.pk}:"
    ).count()
    besked = _send(dokument, noegle=f"digitalpost:dokument:{dokument.pk}:gensendt:{tidligere + 1}")
    audit_log(
        user=user,
        kommune_id=dokument.kommune_id,
        handling="dokument.gensendt",
        objekt=dokument,
        beskrivelse=f"{dokument.titel} sendt igen til {dokument.modtager_navn} med Digital Post.",
        begrundelse=begrundelse[:255],
        data={"sha256": dokument.sha256, "noegle": besked.noegle},
    )
    return besked


def dokument_hentet(*, user: Bruger, dokument: Dokument) -> None:
    """A person fetched a document: reading a citizen's data is logged (DESIGN §4.4)."""
    opslag_log(
        user=user,
        kommune_id=dokument.kommune_id,
        objekt=dokument.borger,
        formaal=f"Dokument hentet: {dokument.titel} (dokument {dokument.pk})",
    )
