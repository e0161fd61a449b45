from django.apps import AppConfig


class SagstilknytningConfig(AppConfig):
    name = "sagstilknytning"
    verbose_name = "Sagstilknytning"
