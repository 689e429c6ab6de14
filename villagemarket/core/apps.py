from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "villagemarket.core"
    label = "core"
