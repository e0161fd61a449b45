from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class KyDebitorConfig(AppConfig):
    name = "ky_debitor"
    verbose_name = "KY Debitor: kommuner, brugere og audit"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from .login_spaerring import spaerring_audit
        from .models import Bruger
        from .roles import roller_synkroniser
        from .rolletildeling import grupper_aendret

        # After the last app's migrations (permissions are created on post_migrate too).
        post_migrate.connect(roller_synkroniser, dispatch_uid="ky_roller_synkroniser")
        user_locked_out.connect(spaerring_audit, dispatch_uid="ky_login_spaerret_audit")
        # Every role given or taken away is checked and audited (``rolletildeling``).
        m2m_changed.connect(
            grupper_aendret, sender=Bruger.groups.through, dispatch_uid="ky_roller_tildelt"
        )
