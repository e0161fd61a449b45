from django.apps import AppConfig


class SagstilknytningConfig(AppConfig):
    name = "sagstilknytning"
    verbose_name = "Sagstilknytning"

    def ready(self) -> None:
        from ky_debitor import etiketter

        from .models import KoerselStatus
        from .selectors import RESULTAT_ETIKETTER

        etiketter.registrer_valg(KoerselStatus)
        etiketter.registrer("Resultat", RESULTAT_ETIKETTER)
