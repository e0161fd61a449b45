"""Forms of the workspace: the "Opret fordringssag" decision and the bulk assignment.

The task form is built from the screen's data (``Opgaveskaerm``) so its choices cost no extra
queries: one radio group for the bevilling (or "Ingen bevilling"), one for the sag (or a new
one), and a reference and a ydelsestype per fordring, pre-filled from the best candidate.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .opgave_services import FordringAngivelse, OpgaveValg
from .selectors import Opgaveskaerm, aabne_sager

INGEN = "ingen"
NY_SAG = "ny"


class OpgaveForm(forms.Form):
    note = forms.CharField(
        label="Note (valgfri)",
        required=False,
        max_length=300,
        help_text="Gemmes på opgaven og i historikken.",
        error_messages={"max_length": "Noten må højst være 300 tegn."},
    )

    def __init__(self, *args: Any, skaerm: Opgaveskaerm, **kwargs: Any) -> None:
        self.skaerm = skaerm
        bedste = skaerm.kandidater[0] if skaerm.kandidater else None
        sager = aabne_sager(skaerm.sager)
        initial: dict[str, Any] = {}
        yt_valg = [("", "Vælg ydelsestype")] + [(str(y.pk), y.navn) for y in skaerm.ydelsestyper]
        super().__init__(*args, **kwargs)
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
                choices=[(str(s.pk), s.sagsnummer) for s in sager] + [(NY_SAG, "Opret ny sag")],
                error_messages={"required": "Vælg en sag eller »Opret ny sag«."},
            )
            self.fields["ydelsestype"] = forms.ChoiceField(
                label="Ydelsestype ved »Ingen bevilling«",
                required=False,
                choices=yt_valg,
            )
            initial["bevilling"] = str(bedste.bevilling.pk) if bedste else INGEN
            initial["sag"] = self._forvalgt_sag(bedste, sager)
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
            if skaerm.kun_ydelsestype or bedste is None:
                initial[ref] = fordring.kmd_aktiv_reference
                initial[yt] = str(fordring.ydelsestype_id or "")
            else:
                initial[ref] = bedste.bevilling.bevillingsnummer
                initial[yt] = str(bedste.ydelsestype_id or fordring.ydelsestype_id or "")
        for navn, vaerdi in initial.items():
            self.fields[navn].initial = vaerdi

    @staticmethod
    def _forvalgt_sag(bedste: Any, sager: list[Any]) -> str:
        if bedste is None:
            return NY_SAG
        if bedste.bevilling.sag_id is not None:
            return str(bedste.bevilling.sag_id)
        samme_type = [
            s for s in sager if s.ydelsestype_id and s.ydelsestype_id == bedste.ydelsestype_id
        ]
        return str(samme_type[0].pk) if len(samme_type) == 1 else NY_SAG

    def bevilling_raekker(self) -> list[tuple[Any, bool, str]]:
        """Each candidate with whether it is chosen and the sag it would pre-select."""
        valgt = str(self["bevilling"].value() or "")
        sager = aabne_sager(self.skaerm.sager)
        return [
            (k, valgt == str(k.bevilling.pk), self._forvalgt_sag(k, sager))
            for k in self.skaerm.kandidater
        ]

    def sag_raekker(self) -> list[tuple[Any, bool]]:
        valgt = str(self["sag"].value() or "")
        return [(s, valgt == str(s.pk)) for s in aabne_sager(self.skaerm.sager)]

    def fordringsfelter(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (f, self[f"reference_{f.pk}"], self[f"ydelsestype_{f.pk}"])
            for f in self.skaerm.fordringer
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.skaerm.kun_ydelsestype:
            return data
        if data.get("bevilling") == INGEN and not data.get("ydelsestype"):
            self.add_error("ydelsestype", "Vælg ydelsestype, når der ikke er en bevilling.")
        return data

    def valg(self) -> OpgaveValg:
        data = self.cleaned_data

        def heltal(vaerdi: str | None) -> int | None:
            return int(vaerdi) if vaerdi and vaerdi.isdigit() else None

        return OpgaveValg(
            bevilling_id=heltal(data.get("bevilling")),
            sag_id=heltal(data.get("sag")),
            ydelsestype_id=heltal(data.get("ydelsestype")),
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
