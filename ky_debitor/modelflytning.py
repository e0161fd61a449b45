"""Moving a model from one app to another without touching its table.

The move itself is a pair of state-only migrations (``SeparateDatabaseAndState``): the new app
takes the model over with its old ``db_table``, the old app lets go of it. ``indholdstype_flyt``
moves the model's content type along, so the permissions given on it (and the admin's history
of its rows) follow the model instead of being left behind under the old app.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import migrations


def _flyt(apps: Any, schema_editor: Any, *, model: str, fra: str, til: str) -> None:
    indholdstype = apps.get_model("contenttypes", "ContentType")
    if indholdstype.objects.filter(app_label=til, model=model).exists():
        return  # already there (created by an earlier migrate); the old one stays as it is
    indholdstype.objects.filter(app_label=fra, model=model).update(app_label=til)


def indholdstype_flyt(model: str, *, fra: str, til: str) -> migrations.RunPython:
    """The reversible migration step that moves ``model``'s content type from app ``fra`` to
    app ``til``. On a new database there is none yet (content types are made after the last
    migration), so the step does nothing there."""
    return migrations.RunPython(
        partial(_flyt, model=model, fra=fra, til=til),
        partial(_flyt, model=model, fra=til, til=fra),
    )
