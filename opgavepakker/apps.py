from django.apps import AppConfig


class OpgavepakkerConfig(AppConfig):
    name = "opgavepakker"
    verbose_name = "Opgavepakker"
