"""The five roles, as groups with the model permissions DESIGN.md implies.

`sync_roles` runs from the roles migration and again after every `migrate` (post_migrate), so
that permissions of models added later reach the roles without another hand-written migration.
"""

from django.contrib.auth.management import create_permissions

RECORDS = {
    "rounds": ["dialogue", "round", "topic", "agendaitem", "sitevisit", "material", "commitment"],
    "stakeholders": [
        "organization",
        "person",
        "delegation",
        "delegationmember",
        "consultation",
        "consultationrequest",
    ],
}
CASES = {"rounds": ["caseofconcern", "caseraising"]}
FOLLOWUP = {"followup": ["followupproject", "followupaction", "benchmark", "benchmarkevent"]}
ALL = ("add", "change", "delete", "view")
VIEW = ("view",)

ROLES = {
    "Dialogue officers": [
        (RECORDS, ALL),
        (FOLLOWUP, VIEW),
        ({"followup": ["followupaction"]}, ALL),
    ],
    "Follow-up planners": [(FOLLOWUP, ALL), (RECORDS, VIEW)],
    "Analysts": [(RECORDS, VIEW), (FOLLOWUP, VIEW)],
    "Case officers": [(CASES, ALL), (RECORDS, VIEW)],
}
ADMINISTRATORS = "Administrators"
# Administrators manage accounts, roles and every record.
ADMINISTRATOR_APPS = ["auth", "dialogue", "rounds", "stakeholders", "followup"]


def sync_roles(apps, using="default") -> None:
    """Create or update the role groups; `apps` is a registry (historical in a migration)."""
    for app_config in apps.get_app_configs():
        # Permissions are normally made after all migrations; roles need them now.
        app_config.models_module = getattr(app_config, "models_module", None) or True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using)
    for name, grants in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = [
            (app, f"{action}_{model}")
            for models_by_app, actions in grants
            for app, models in models_by_app.items()
            for model in models
            if _exists(apps, app, model)  # a model a later migration makes is granted then
            for action in actions
        ]
        found = [
            permissions.get(content_type__app_label=app, codename=codename)
            for app, codename in sorted(set(wanted))
        ]
        group.permissions.set(found)
    administrators, _created = Group.objects.using(using).get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(
        permissions.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    )


def _exists(apps, app_label, model_name) -> bool:
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def sync_roles_after_migrate(sender, app_config, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    if app_config.label == "dialogue":
        sync_roles(apps or global_apps, using=using)
