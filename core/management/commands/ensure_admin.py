"""Make sure an administrator account exists, and say how to sign in with it."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

SIGN_IN_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Create the administrator account if there is none (username from ADMIN_USERNAME, "
        "password from ADMIN_PASSWORD or generated and written under var/)."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password_file = settings.VAR_DIR / "admin-password.txt"
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            hint = (
                f"the password in {password_file}"
                if password_file.exists()
                else "its password (reset it with `manage.py changepassword`)"
            )
            self.stdout.write(
                f"Sign in at http://127.0.0.1:8000/admin/ as '{existing}' with {hint}."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(16)
        user = User.objects.create_superuser(username=username, email="", password=password)
        user.groups.add(Group.objects.get(name="Administrators"))
        if "ADMIN_PASSWORD" not in os.environ:
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        if "ADMIN_PASSWORD" in os.environ:
            message = f"Created the administrator '{username}' with the password in ADMIN_PASSWORD."
        else:
            message = (
                f"Created the administrator '{username}'. Sign in at {SIGN_IN_URL} with the "
                f"password {password} (also in {password_file}; change it after signing in)."
            )
        self.stdout.write(self.style.SUCCESS(message))
