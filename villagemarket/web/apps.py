from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "villagemarket.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self):
        from django.contrib import admin

        # The back-office carries the market's name and opens on a link to the operator
        # dashboard (the queues), in the operator's language.
        admin.site.site_header = _("VillageMarket back-office")
        admin.site.site_title = _("VillageMarket back-office")
        admin.site.index_title = _("Back-office")
        admin.site.index_template = "admin/vm_index.html"
        translate_task_admin()


def translate_task_admin() -> None:
    """django-tasks-db's back-office pages in the operator's language.

    The package names its app and two admin columns with plain strings (no gettext), so they
    would stay English on a Chinese page; its other labels are gettext'ed and translated in our
    catalogue (third-party msgids may live there: LOCALE_PATHS comes first).
    """
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.admin import DBTaskResultAdmin
    from django_tasks_db.models import DBTaskResult

    apps.get_app_config("django_tasks_database").verbose_name = _("Background tasks")
    DBTaskResultAdmin.formatted_traceback.short_description = _("traceback")
    DBTaskResultAdmin.display_run_after.short_description = _("run after")
    DBTaskResult.task_name.fget.short_description = _("task")
