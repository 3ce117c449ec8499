from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The user, the base models, markings and access, history: what every domain app builds on.

    Its label stays "dialogue", the label it had when this code lived in the project package, so
    that existing databases keep their tables, migrations and permissions ("dialogue.User",
    "dialogue.view_accesslogentry").
    """

    name = "core"
    label = "dialogue"
    verbose_name = _("Dialogue Tracker")

    def ready(self):
        from django.apps import apps

        from core.references import install_reference_guards

        # A reference the reader may not follow reads as a placeholder (core/references.py).
        install_reference_guards(apps.get_models())
        from core.choices import install_choice_labels

        # A choice's label is read from a table made once a language (core/choices.py).
        install_choice_labels(apps.get_models(include_auto_created=True))
        from core.roles import sync_roles_after_migrate
        from core.spreadsheets import install

        # Every CSV and XLSX export, whichever library writes it, neutralises formulas.
        install()

        # Keep the roles in step with the models after every migrate (and a test flush).
        post_migrate.connect(sync_roles_after_migrate, sender=self)

        from core.reportcache import install_triggers

        # The cached reports' tables carry the trigger that versions them (core/reportcache.py).
        post_migrate.connect(install_triggers, sender=self)


class AdministratorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site that only Administrators enter (core/sites.py); named in
    INSTALLED_APPS in place of "django.contrib.admin"."""

    default = False  # "core" alone still means CoreConfig
    default_site = "core.sites.AdministratorsSite"
