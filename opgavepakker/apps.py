from django.apps import AppConfig


class OpgavepakkerConfig(AppConfig):
    name = "opgavepakker"
    verbose_name = "Opgavepakker"

    def ready(self) -> None:
        from ky_debitor import etiketter

        from .models import OpgaveType
        from .pakker import definitioner
        from .workflow import OpgaveStatus

        etiketter.registrer_valg(OpgaveStatus, OpgaveType)
        etiketter.registrer("Opgavepakke", ((p.kode, p.navn) for p in definitioner()))
