from django.apps import AppConfig


class FordringerConfig(AppConfig):
    name = "fordringer"
    verbose_name = "Fordringer og debitorkonti"

    def ready(self) -> None:
        from django.db.models import Choices

        from ky_debitor import etiketter

        from . import choices
        from .tilknytning.regler import Aarsag, Regel, navn

        # The domain's value sets and the matching vocabulary's codes, with their Danish labels.
        etiketter.registrer_valg(
            *(
                v
                for v in vars(choices).values()
                if isinstance(v, type)
                and issubclass(v, Choices)
                and v.__module__ == choices.__name__
            )
        )
        etiketter.registrer("Aarsag", ((a.value, navn(a)) for a in Aarsag))
        etiketter.registrer("Regel", ((r.value, navn(r)) for r in Regel))
