"""Who may do what through the API: the same model permissions as the roles give in the pages.

A module of its own: DRF imports it while reading its settings, before core/api.py is ready."""

from rest_framework.permissions import DjangoModelPermissions


class RolePermissions(DjangoModelPermissions):
    """Reading needs the role's view permission too (DRF's default lets anyone signed in read)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }
