from django.apps import AppConfig


class FordringerConfig(AppConfig):
    name = "fordringer"
    verbose_name = "Fordringer og debitorkonti"
