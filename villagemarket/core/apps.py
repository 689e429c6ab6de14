from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "villagemarket.core"
    label = "core"

    def ready(self) -> None:
        from villagemarket.core import converters

        converters.register()
