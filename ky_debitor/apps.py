from django.apps import AppConfig


class KyDebitorConfig(AppConfig):
    name = "ky_debitor"
    verbose_name = "KY Debitor: kommuner, brugere og audit"
