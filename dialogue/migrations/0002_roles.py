"""Create the five roles as groups with the model permissions DESIGN.md implies."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = {
    "rounds": ["dialogue", "round", "topic", "agendaitem", "sitevisit", "material"],
    "stakeholders": ["organization", "person", "delegation", "delegationmember", "consultation"],
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


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = {
            (app, f"{action}_{model}")
            for models_by_app, actions in grants
            for app, models in models_by_app.items()
            for model in models
            for action in actions
        }
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in sorted(codenames)
        ]
        group.permissions.set(perms)
    administrators, _ = Group.objects.get_or_create(name="Administrators")
    administrators.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    names = [*ROLES, "Administrators"]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("dialogue", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("rounds", "0002_initial"),
        ("stakeholders", "0001_initial"),
        ("followup", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
