"""Other packages' msgids that reach our pages untranslated, kept in our zh-Hans catalogue.

Django 6.1's newest admin strings and django-tasks-db's labels have no zh-Hans translation in
their packages yet. Our catalogue may translate them (LOCALE_PATHS is searched before the
packages' own catalogues), but makemessages keeps only msgids it finds in our source, so they
are marked here. Nothing imports this module. Drop an entry once its package ships zh-Hans.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN = [
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL (6.1)
    gettext_noop("Filter by %(field_name)s"),  # admin/date_hierarchy.html
]

DJANGO_TASKS_DB = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("args kwargs"),
    gettext_noop("backend name"),
    gettext_noop("enqueued at"),
    gettext_noop("exception class path"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("return value"),
    gettext_noop("started at"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
]
