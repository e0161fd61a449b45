"""Reads of the national reference tables: which ydelsestype a KMD Aktiv benefit code means,
and which ydelsestyper LL § 8 O covers in which income year (DESIGN §7). The tables are kept
by the national administrator and are the same for every kommune."""

from __future__ import annotations

from fordringer.models import LL8ODaekning, Ydelseskode, Ydelsestype


def ydelsestype_for_kode(kode: str) -> Ydelsestype | None:
    """The ydelsestype a KMD Aktiv benefit code maps to, or None for an unknown/empty code."""
    kode = (kode or "").strip().upper()
    if not kode:
        return None
    match = Ydelseskode.objects.select_related("ydelsestype").filter(kode=kode).first()
    return match.ydelsestype if match else None


def ydelseskode_tabel() -> dict[str, int]:
    """The whole code → ydelsestype id table (it has a dozen rows), for bulk work."""
    return dict(Ydelseskode.objects.values_list("kode", "ydelsestype_id"))


class LL8OTabel:
    """LL § 8 O coverage (DESIGN §7), loaded once for a batch of work (a dozen rows)."""

    def __init__(self) -> None:
        self.rows = list(
            LL8ODaekning.objects.order_by("-fra_indkomstaar").values_list(
                "ydelsestype_id", "fra_indkomstaar", "til_indkomstaar", "omfattet"
            )
        )

    def omfatter(self, ydelsestype_id: int, indkomstaar: int) -> bool:
        """Does § 8 O cover a repayment of this ydelsestype in this income year? The type's
        row with the latest ``fra_indkomstaar`` up to the year decides (rows are append-only)."""
        for yt, fra, til, omfattet in self.rows:
            if yt == ydelsestype_id and fra <= indkomstaar:
                return omfattet and (til is None or indkomstaar <= til)
        return False
