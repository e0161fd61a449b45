"""Danish names for synthetic borgere, weighted roughly by how common they are.

The lists follow Danmarks Statistik's tables of the most common first names and surnames of the
adult population (the weights are rounded ranks, not exact counts), with some names that are
common among newer Danes so the demo looks like a real municipality's caseload.
"""

from __future__ import annotations

import itertools
import random

# (name, weight)
# fmt: off
_MAEND: tuple[tuple[str, int], ...] = (
    ("Peter", 50), ("Jens", 48), ("Lars", 46), ("Michael", 45), ("Henrik", 42), ("Thomas", 41),
    ("Søren", 40), ("Jan", 38), ("Niels", 36), ("Christian", 35), ("Martin", 34), ("Anders", 33),
    ("Morten", 31), ("Jesper", 30), ("Mads", 28), ("Rasmus", 28), ("Per", 27), ("Hans", 26),
    ("Mikkel", 25), ("Kim", 24), ("Ole", 24), ("Frederik", 22), ("Jørgen", 21), ("Kasper", 21),
    ("Nikolaj", 20), ("Erik", 19), ("Brian", 18), ("Simon", 18), ("Emil", 18), ("Mathias", 17),
    ("Jakob", 17), ("Kristian", 16), ("Daniel", 16), ("Bo", 14), ("Allan", 13), ("Lasse", 13),
    ("Jonas", 13), ("Oliver", 12), ("William", 11), ("Lucas", 11), ("Tobias", 10), ("Steen", 10),
    ("Torben", 10), ("Claus", 10), ("Carsten", 9), ("Flemming", 9), ("Kenneth", 8), ("René", 8),
    ("Mohammad", 8), ("Ali", 7), ("Ahmad", 6), ("Mustafa", 5), ("Omar", 5), ("Tomasz", 4),
)
_KVINDER: tuple[tuple[str, int], ...] = (
    ("Anne", 50), ("Kirsten", 46), ("Mette", 45), ("Hanne", 43), ("Anna", 42), ("Helle", 40),
    ("Susanne", 38), ("Lene", 37), ("Maria", 36), ("Marianne", 35), ("Lone", 33), ("Camilla", 31),
    ("Pia", 30), ("Louise", 30), ("Inge", 28), ("Charlotte", 28), ("Bente", 27), ("Tina", 26),
    ("Gitte", 25), ("Karen", 25), ("Julie", 24), ("Emma", 22), ("Ida", 21), ("Sofie", 21),
    ("Laura", 20), ("Freja", 18), ("Mathilde", 18), ("Caroline", 17), ("Katrine", 17),
    ("Signe", 16), ("Line", 16), ("Maja", 15), ("Sara", 15), ("Cecilie", 14), ("Amalie", 14),
    ("Rikke", 14), ("Heidi", 13), ("Stine", 13), ("Trine", 12), ("Birgitte", 12), ("Dorthe", 12),
    ("Jette", 11), ("Malene", 11), ("Nanna", 10), ("Josefine", 10), ("Nadia", 8), ("Fatima", 7),
    ("Aisha", 5), ("Zainab", 4), ("Agnieszka", 4),
)
_EFTERNAVNE: tuple[tuple[str, int], ...] = (
    ("Nielsen", 100), ("Jensen", 98), ("Hansen", 88), ("Pedersen", 68), ("Andersen", 66),
    ("Christensen", 53), ("Larsen", 49), ("Sørensen", 46), ("Rasmussen", 39), ("Jørgensen", 36),
    ("Petersen", 34), ("Madsen", 27), ("Kristensen", 25), ("Olsen", 23), ("Thomsen", 21),
    ("Christiansen", 20), ("Poulsen", 18), ("Johansen", 18), ("Møller", 17), ("Mortensen", 17),
    ("Knudsen", 14), ("Jakobsen", 13), ("Mikkelsen", 12), ("Olesen", 12), ("Frederiksen", 11),
    ("Laursen", 11), ("Henriksen", 11), ("Lund", 11), ("Schmidt", 10), ("Eriksen", 9),
    ("Holm", 9), ("Kristiansen", 9), ("Clausen", 8), ("Simonsen", 8), ("Svendsen", 8),
    ("Andreasen", 7), ("Iversen", 7), ("Østergaard", 7), ("Jeppesen", 6), ("Vestergaard", 6),
    ("Nissen", 6), ("Lauridsen", 6), ("Kjær", 6), ("Jespersen", 5), ("Mogensen", 5), ("Skov", 5),
    ("Nørgaard", 5), ("Bertelsen", 5), ("Carlsen", 4), ("Friis", 4), ("Dam", 4), ("Bach", 4),
    ("Ahmed", 4), ("Hussein", 3), ("Yilmaz", 3), ("Khan", 3), ("Nowak", 2), ("Ibrahim", 2),
)
# Danish middle names are often old surnames or a second first name.
# fmt: on
_MELLEMNAVNE_M: tuple[str, ...] = (
    "Bo",
    "Juul",
    "Skov",
    "Holm",
    "Bach",
    "Dahl",
    "Krogh",
    "Emil",
    "Kristian",
)  # fmt: skip
_MELLEMNAVNE_K: tuple[str, ...] = (
    "Marie", "Louise", "Kristine", "Sofie", "Juul", "Skov", "Holm", "Dahl",
)  # fmt: skip


def _kumulativ(tabel: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    navne = [navn for navn, _ in tabel]
    return navne, list(itertools.accumulate(vaegt for _, vaegt in tabel))


_MAEND_NAVNE, _MAEND_VAEGT = _kumulativ(_MAEND)
_KVINDER_NAVNE, _KVINDER_VAEGT = _kumulativ(_KVINDER)
_EFTER_NAVNE, _EFTER_VAEGT = _kumulativ(_EFTERNAVNE)


def navn(rng: random.Random, *, mand: bool) -> str:
    """A full name: first name, sometimes a middle name, a surname or a double surname."""
    if mand:
        fornavn = rng.choices(_MAEND_NAVNE, cum_weights=_MAEND_VAEGT)[0]
        mellem = _MELLEMNAVNE_M
    else:
        fornavn = rng.choices(_KVINDER_NAVNE, cum_weights=_KVINDER_VAEGT)[0]
        mellem = _MELLEMNAVNE_K
    efternavn = rng.choices(_EFTER_NAVNE, cum_weights=_EFTER_VAEGT)[0]
    terning = rng.random()
    if terning < 0.08:
        andet = rng.choices(_EFTER_NAVNE, cum_weights=_EFTER_VAEGT)[0]
        if andet != efternavn:
            efternavn = f"{andet}-{efternavn}"
    elif terning < 0.14:
        andet = rng.choices(_EFTER_NAVNE, cum_weights=_EFTER_VAEGT)[0]
        if andet != efternavn:
            efternavn = f"{andet} {efternavn}"
    if rng.random() < 0.2:
        return f"{fornavn} {rng.choice(mellem)} {efternavn}"
    return f"{fornavn} {efternavn}"
