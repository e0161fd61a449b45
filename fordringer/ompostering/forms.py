"""Forms of the Omposter fordeling screens (seed 004 "Omposter fordeling (web)").

Amounts are written the Danish way (``1.234,56``) and parsed with ``ky_debitor.money``; every
message is Danish. The business rules are checked again in the service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms

from fordringer.choices import Overfoersel, Udbetalingskanal
from fordringer.cpr import cpr_normaliser
from fordringer.models import Borger, Fordring, OmposteringAarsag
from fordringer.ompostering.fordeling import NyDaekning
from fordringer.ompostering.selectors import SoegeType
from fordringer.ompostering.udbetaling import NyModtager, UdbetalingValg
from ky_debitor.errors import ApplicationError
from ky_debitor.money import format_beloeb, parse_beloeb

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger

DATOFORMATER = ["%d-%m-%Y", "%Y-%m-%d"]
DATOFEJL = {"invalid": "Skriv datoen som dd-mm-åååå."}


class BeloebField(forms.CharField):
    """A Danish amount; empty is None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        tekst = str(value or "").strip()
        if not tekst:
            return None
        try:
            return parse_beloeb(tekst)
        except ApplicationError as fejl:
            raise forms.ValidationError(fejl.message) from fejl


def borger_efter_cpr(*, user: Bruger | AnonymousUser, tekst: str) -> Borger:
    try:
        cpr = cpr_normaliser(tekst)
    except ApplicationError as fejl:
        raise forms.ValidationError(fejl.message) from fejl
    borger = Borger.objects.for_user(user).filter(cpr=cpr).first()
    if borger is None:
        raise forms.ValidationError("Der findes ingen borger med det CPR-nummer i kommunen.")
    return borger


class SoegeForm(forms.Form):
    """Seed 004 trin 1-2 with "ValiderSøgeKriterier"."""

    periode_fra = forms.DateField(
        label="Periode fra", required=False, input_formats=DATOFORMATER, error_messages=DATOFEJL
    )
    periode_til = forms.DateField(
        label="Periode til", required=False, input_formats=DATOFORMATER, error_messages=DATOFEJL
    )
    beloeb_fra = BeloebField(label="Beløb fra (kr.)")
    beloeb_til = BeloebField(label="Beløb til (kr.)")
    type = forms.ChoiceField(label="Type", choices=SoegeType.VALG, required=False)
    ydelseskode = forms.CharField(
        label="Fordringstype (ydelseskode)",
        required=False,
        max_length=20,
        help_text="Kun ved typen Fordringstype, fx KTH.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for navn in ("beloeb_fra", "beloeb_til"):
            beloeb = data.get(navn)
            if beloeb is not None and beloeb <= 0:
                self.add_error(navn, "Der må kun indtastes positive beløb i søgebeløb.")
        if data.get("beloeb_til") is not None and data.get("beloeb_fra") is None:
            self.add_error("beloeb_til", "Beløb til må ikke være udfyldt alene.")
        if not self.errors and not any(
            data.get(n) not in (None, "")
            for n in ("periode_fra", "periode_til", "beloeb_fra", "beloeb_til", "type")
        ):
            raise forms.ValidationError("Mindst ét søgekriterium skal være udfyldt.")
        fra, til = data.get("periode_fra"), data.get("periode_til")
        if fra and til and til < fra:
            self.add_error(
                "periode_til",
                f"Periode til ({til:%d-%m-%Y}) må ikke ligge før periode fra ({fra:%d-%m-%Y}).",
            )
        fra_beloeb, til_beloeb = data.get("beloeb_fra"), data.get("beloeb_til")
        if fra_beloeb is not None and til_beloeb is not None and 0 < til_beloeb < fra_beloeb:
            self.add_error(
                "beloeb_til",
                f"Beløb til ({format_beloeb(til_beloeb)} kr.) må ikke være mindre end beløb fra "
                f"({format_beloeb(fra_beloeb)} kr.).",
            )
        return data


class ModtagerValg:
    INGEN = "INGEN"
    BORGER = "BORGER"
    NY = "NY"
    VALG = [
        (INGEN, "Borgeren selv"),
        (BORGER, "En anden borger (CPR-nummer)"),
        (NY, "En ny modtager, fx en advokat eller bobestyrer"),
    ]


class FordelingForm(forms.Form):
    """Seed 004 trin 5-7 on one page: amounts per uncovered claim, amount to pay out,
    reason, alternative recipient and note, channel and transfer."""

    udbetaling = BeloebField(label="Beløb til udbetaling (kr.)")
    aarsag = forms.ModelChoiceField(
        label="Årsag",
        queryset=OmposteringAarsag.objects.filter(aktiv=True),
        empty_label="Vælg årsag",
        error_messages={
            "required": "Vælg en årsag til omposteringen.",
            "invalid_choice": "Vælg en årsag på listen.",
        },
    )
    modtager = forms.ChoiceField(
        label="Modtager af udbetalingen",
        choices=ModtagerValg.VALG,
        initial=ModtagerValg.INGEN,
        widget=forms.RadioSelect,
        required=False,
    )
    modtager_cpr = forms.CharField(label="Modtagerens CPR-nummer", required=False, max_length=11)
    ny_navn = forms.CharField(label="Navn", required=False, max_length=200)
    ny_identifikation = forms.CharField(
        label="CVR- eller CPR-nummer",
        required=False,
        max_length=20,
        help_text="Påkrævet ved udbetaling til NemKonto.",
    )
    ny_adresse = forms.CharField(
        label="Adresse",
        required=False,
        max_length=300,
        help_text="Vej og husnummer, postnummer og by. Påkrævet ved check.",
    )
    note = forms.CharField(
        label="Note til modtageren",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Højst 255 tegn. Med en alternativ modtager sendes noten som brev.",
        max_length=255,
        error_messages={"max_length": "Noten må højst være 255 tegn."},
    )
    kanal = forms.ChoiceField(
        label="Udbetalingsform",
        choices=[("", "Ingen (vælg en overførsel)"), *Udbetalingskanal.choices],
        required=False,
        help_text="Udbetalingsform eller overførsel: vælg én af dem.",
    )
    overfoersel = forms.ChoiceField(
        label="Overførsel",
        choices=[("", "Ingen (vælg en udbetalingsform)"), *Overfoersel.choices],
        required=False,
    )
    fritaget_modregning = forms.BooleanField(label="Fritaget for modregning", required=False)

    def __init__(
        self, *args: Any, user: Bruger | AnonymousUser, fordringer: list[Fordring], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fordringer = fordringer
        for fordring in fordringer:
            self.fields[f"fordring_{fordring.pk}"] = BeloebField(
                label=f"Dæk fordring {fordring.fordringsid} med (kr.)"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("udbetaling") is not None and data.get("modtager") == ModtagerValg.BORGER:
            try:
                data["modtager_borger"] = borger_efter_cpr(
                    user=self.user, tekst=data.get("modtager_cpr", "")
                )
            except forms.ValidationError as fejl:
                self.add_error("modtager_cpr", fejl)
        return data

    def fordeling(self) -> list[NyDaekning]:
        return [
            NyDaekning(f.pk, self.cleaned_data[f"fordring_{f.pk}"])
            for f in self.fordringer
            if self.cleaned_data.get(f"fordring_{f.pk}") is not None
        ]

    def udbetaling_valg(self) -> UdbetalingValg | None:
        data = self.cleaned_data
        if data.get("udbetaling") is None:
            return None
        modtager = data.get("modtager") or ModtagerValg.INGEN
        return UdbetalingValg(
            beloeb=data["udbetaling"],
            kanal=data.get("kanal", ""),
            overfoersel=data.get("overfoersel", ""),
            fritaget_modregning=bool(data.get("fritaget_modregning")),
            modtager_borger_id=data["modtager_borger"].pk
            if modtager == ModtagerValg.BORGER and "modtager_borger" in data
            else None,
            ny_modtager=NyModtager(
                navn=data.get("ny_navn", ""),
                identifikation=data.get("ny_identifikation", ""),
                adresse=data.get("ny_adresse", ""),
            )
            if modtager == ModtagerValg.NY
            else None,
        )


class TilbagefoerForm(forms.Form):
    begrundelse = forms.CharField(
        label="Begrundelse for tilbageførslen",
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Angiv en begrundelse for tilbageførslen.",
            "max_length": "Begrundelsen må højst være 255 tegn.",
        },
    )


class BegrundelseForm(forms.Form):
    begrundelse = forms.CharField(label="Begrundelse", required=False, max_length=255)


class BehandlingForm(forms.Form):
    behandling = forms.CharField(
        label="Hvad er gjort med beløbet",
        max_length=255,
        error_messages={"required": "Skriv hvad der er gjort med beløbet."},
    )
