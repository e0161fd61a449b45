"""Forms of the workspace: the "Opret fordringssag" decision and the bulk assignment.

The task form is built from the screen's data (``Opgaveskaerm``) so its choices cost no extra
queries: one radio group for the bevilling (or "Ingen bevilling"), one for the sag (or a new
one), and a reference and a ydelsestype per fordring. Nothing is chosen that the evidence does
not support (``opgaveskaerm``): without a full match no bevilling is selected and the confirm is
refused until the caseworker chooses; each claim's fields come from that claim's own evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict

from .afslutning import FordringAngivelse, OpgaveValg
from .opgaveskaerm import NY_SAG, Opgaveskaerm

INGEN = "ingen"
UDFYLD = "udfyld"  # the name of the "Brug på alle tomme felter" button


class OpgaveForm(forms.Form):
    reference = forms.CharField(
        label="Reference til tomme felter",
        required=False,
        max_length=40,
        help_text="Bruges på fordringer uden reference. Tom: den valgte bevillings nummer.",
        error_messages={"max_length": "Referencen må højst være 40 tegn."},
    )
    note = forms.CharField(
        label="Note (valgfri)",
        required=False,
        max_length=300,
        help_text="Gemmes på opgaven og i historikken.",
        error_messages={"max_length": "Noten må højst være 300 tegn."},
    )

    def __init__(self, *args: Any, skaerm: Opgaveskaerm, **kwargs: Any) -> None:
        self.skaerm = skaerm
        fuld = skaerm.fuld_match
        yt_valg = [("", "Vælg ydelsestype")] + [(str(y.pk), y.navn) for y in skaerm.ydelsestyper]
        super().__init__(*args, **kwargs)
        initial: dict[str, Any] = {}
        self.fields["ydelsestype"] = forms.ChoiceField(
            label="Ydelsestype til tomme felter",
            required=False,
            choices=yt_valg,
            help_text="Bruges på fordringer uden ydelsestype. Tom: den valgte bevillings.",
        )
        if not skaerm.kun_ydelsestype:
            self.fields["bevilling"] = forms.ChoiceField(
                label="Bevilling",
                widget=forms.RadioSelect,
                choices=[
                    (str(k.bevilling.pk), k.bevilling.bevillingsnummer) for k in skaerm.kandidater
                ]
                + [(INGEN, "Ingen bevilling")],
                error_messages={"required": "Vælg en bevilling eller »Ingen bevilling«."},
            )
            self.fields["sag"] = forms.ChoiceField(
                label="Sag",
                widget=forms.RadioSelect,
                choices=[(str(s.pk), s.sagsnummer) for s in skaerm.aabne_sager]
                + [(NY_SAG, "Opret ny sag")],
                error_messages={"required": "Vælg en sag eller »Opret ny sag«."},
            )
            if fuld is not None:
                initial["bevilling"] = str(fuld.bevilling.pk)
                initial["sag"] = skaerm.forvalgt_sag(fuld)
        for fordring in skaerm.fordringer:
            ref = f"reference_{fordring.pk}"
            yt = f"ydelsestype_{fordring.pk}"
            self.fields[ref] = forms.CharField(
                label=f"KMD Aktiv reference for {fordring.fordringsid}",
                required=False,
                max_length=40,
                error_messages={"max_length": "Referencen må højst være 40 tegn."},
            )
            self.fields[yt] = forms.ChoiceField(
                label=f"Ydelsestype for {fordring.fordringsid}", required=False, choices=yt_valg
            )
            forslag = skaerm.forslag[fordring.pk]
            initial[ref] = forslag.reference
            initial[yt] = str(forslag.ydelsestype_id or "")
        for navn, vaerdi in initial.items():
            self.fields[navn].initial = vaerdi

    @classmethod
    def udfyldt(cls, data: QueryDict, *, skaerm: Opgaveskaerm) -> OpgaveForm:
        """ "Brug på alle tomme felter": the screen again, unsaved, with what the person chose so
        far and every empty claim field filled — from the fields for empty ones, else from the
        chosen bevilling. A field with a value is left as it is."""
        form = cls(skaerm=skaerm)
        vaerdier = {navn: data.get(navn, "") for navn in form.fields}
        bevilling = next(
            (k for k in skaerm.kandidater if str(k.bevilling.pk) == vaerdier.get("bevilling")),
            None,
        )
        reference = vaerdier["reference"].strip() or (
            bevilling.bevilling.bevillingsnummer if bevilling else ""
        )
        ydelsestype = vaerdier["ydelsestype"] or (
            str(bevilling.ydelsestype_id or "") if bevilling else ""
        )
        for f in skaerm.fordringer:
            if not vaerdier[f"reference_{f.pk}"].strip():
                vaerdier[f"reference_{f.pk}"] = reference
            if not vaerdier[f"ydelsestype_{f.pk}"]:
                vaerdier[f"ydelsestype_{f.pk}"] = ydelsestype
        for navn, vaerdi in vaerdier.items():
            form.fields[navn].initial = vaerdi
        return form

    def bevilling_raekker(self) -> list[tuple[Any, bool, str]]:
        """Each candidate with whether it is chosen and the sag the run would choose with it."""
        valgt = str(self["bevilling"].value() or "")
        return [
            (k, valgt == str(k.bevilling.pk), self.skaerm.forvalgt_sag(k))
            for k in self.skaerm.kandidater
        ]

    def sag_raekker(self) -> list[tuple[Any, bool]]:
        valgt = str(self["sag"].value() or "")
        return [(s, valgt == str(s.pk)) for s in self.skaerm.aabne_sager]

    def fordringsfelter(self) -> list[tuple[Any, forms.BoundField, forms.BoundField, Any]]:
        return [
            (
                f,
                self[f"reference_{f.pk}"],
                self[f"ydelsestype_{f.pk}"],
                self.skaerm.forslag[f.pk],
            )
            for f in self.skaerm.fordringer
        ]

    def tilfoej_fejl(self, felter: Mapping[str, list[str]], besked: str) -> None:
        """A service's errors under their fields (all at once); the rest above the form."""
        for navn, fejl in felter.items():
            for tekst in fejl:
                self.add_error(navn if navn in self.fields else None, tekst)
        if not felter:
            self.add_error(None, besked)

    def valg(self) -> OpgaveValg:
        data = self.cleaned_data

        def heltal(vaerdi: str | None) -> int | None:
            return int(vaerdi) if vaerdi and vaerdi.isdigit() else None

        return OpgaveValg(
            bevilling_id=heltal(data.get("bevilling")),
            sag_id=heltal(data.get("sag")),
            ydelsestype_id=heltal(data.get("ydelsestype")),
            kmd_aktiv_reference=data.get("reference", ""),
            fordringer={
                f.pk: FordringAngivelse(
                    kmd_aktiv_reference=data.get(f"reference_{f.pk}", ""),
                    ydelsestype_id=heltal(data.get(f"ydelsestype_{f.pk}")),
                )
                for f in self.skaerm.fordringer
            },
            note=data.get("note", ""),
        )


class TildelForm(forms.Form):
    """A Projektleder's bulk assignment: the chosen tasks to one caseworker."""

    def __init__(self, *args: Any, opgave_ids: list[int], brugere: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["opgaver"] = forms.TypedMultipleChoiceField(
            coerce=int,
            choices=[(i, str(i)) for i in opgave_ids],
            error_messages={
                "required": "Vælg mindst én opgave.",
                "invalid_choice": "Ugyldig opgave.",
            },
        )
        self.fields["bruger"] = forms.TypedChoiceField(
            label="Tildel valgte opgaver til",
            coerce=int,
            choices=[("", "Vælg sagsbehandler"), *((b.pk, b.visningsnavn) for b in brugere)],
            error_messages={"required": "Vælg en sagsbehandler."},
        )
