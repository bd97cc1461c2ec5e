from django.apps import AppConfig


class MemorialConfig(AppConfig):
    name = "memorial"
    verbose_name = "Memorial"
