"""CPR numbers never reach a log: a filter on the log handler masks them in every record.

A CPR number is 10 digits, with or without a dash after the sixth (DESIGN §6). Any such run of
digits is masked — also one that is no valid CPR number, since a log line cannot tell a typo
from a real one. The message (with its arguments), the formatted traceback and the stack are
masked before the record is written.
"""

from __future__ import annotations

import logging
import re

CPR_MOENSTER = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
MASKE = "XXXXXX-XXXX"

_formatter = logging.Formatter()


def cpr_masker(tekst: str) -> str:
    """``tekst`` with every CPR-like number replaced by ``XXXXXX-XXXX``."""
    return CPR_MOENSTER.sub(MASKE, tekst)


class CprMaskering(logging.Filter):
    """Rewrite a record so that no CPR-like number is left in what a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = cpr_masker(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = cpr_masker(record.exc_text)
        if record.stack_info:
            record.stack_info = cpr_masker(record.stack_info)
        return True
