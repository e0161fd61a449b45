from django.apps import AppConfig


class RapporterConfig(AppConfig):
    name = "rapporter"
    verbose_name = "Rapporter"

    def ready(self) -> None:
        from ky_debitor import etiketter

        from .models import EksportFormat, EksportStatus

        etiketter.registrer_valg(EksportStatus, EksportFormat)
