"""What a technical error page or error e-mail may show of the settings and the request.

Django's ``SafeExceptionReporterFilter`` hides settings and request headers whose names look
secret (API, TOKEN, KEY, SECRET, PASS, SIGNATURE). Ours are also connection strings:
``DATABASE_URL``, ``REDIS_URL``, ``CELERY_BROKER_URL`` carry a password inside a value whose
name says nothing of it, and runserver copies the environment into the request. So names with
URL, DATABASE, BROKER, BACKEND, DSN or REDIS are hidden too, and a password written into any
URL (``scheme://user:password@host``) is masked wherever it appears.
"""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

_URL_MED_KODE = re.compile(r"(?P<start>[a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@]+@", re.I)


class Fejlrapportfilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|URL|DATABASE|BROKER|BACKEND|DSN|REDIS",
        flags=re.I,
    )

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        renset = super().cleanse_setting(key, value)
        if type(renset) is str:  # not a lazy object that only looks like one
            return _URL_MED_KODE.sub(rf"\g<start>{self.cleansed_substitute}@", renset)
        return renset
