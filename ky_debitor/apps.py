from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KyDebitorConfig(AppConfig):
    name = "ky_debitor"
    verbose_name = "KY Debitor: kommuner, brugere og audit"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from .login_spaerring import spaerring_audit
        from .roles import roller_synkroniser

        # After the last app's migrations (permissions are created on post_migrate too).
        post_migrate.connect(roller_synkroniser, dispatch_uid="ky_roller_synkroniser")
        user_locked_out.connect(spaerring_audit, dispatch_uid="ky_login_spaerret_audit")
