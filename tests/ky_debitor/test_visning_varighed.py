"""How a wait and a file size read on the export screens."""

from __future__ import annotations

import pytest

from ky_debitor.visning import filstoerrelse, varighed


@pytest.mark.parametrize(
    ("sekunder", "tekst"),
    [
        (None, ""),
        (0, "under 10 sekunder"),
        (9.9, "under 10 sekunder"),
        (32, "ca. 30 sekunder"),
        (89, "ca. 90 sekunder"),
        (90, "ca. 2 minutter"),
        (299, "ca. 5 minutter"),
    ],
)
def test_a_wait_reads_as_people_say_it(sekunder, tekst):
    assert varighed(sekunder) == tekst


@pytest.mark.parametrize(
    ("byte", "tekst"),
    [
        (None, ""),
        (12, "1 kB"),
        (812_400, "812 kB"),
        (12_345_678, "12,3 MB"),
        (1_234_567_890, "1.234,6 MB"),
    ],
)
def test_a_file_size_reads_the_danish_way(byte, tekst):
    assert filstoerrelse(byte) == tekst
