"""Back the database up: pg_dump's custom format on PostgreSQL, SQLite's online backup
otherwise. Restore as README.md says (pg_restore, or copying the SQLite file back)."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Write a consistent backup of the database to BACKUP_DIR (or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="The file to write (default: in BACKUP_DIR).")

    def handle(self, *args, output=None, **options):
        database = connection.settings_dict
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        if connection.vendor == "postgresql":
            target = Path(output or settings.BACKUP_DIR / f"dialogue-{stamp}.dump")
            target.parent.mkdir(parents=True, exist_ok=True)
            self.pg_dump(database, target)
        elif connection.vendor == "sqlite":
            target = Path(output or settings.BACKUP_DIR / f"dialogue-{stamp}.sqlite3")
            target.parent.mkdir(parents=True, exist_ok=True)
            # Through Django's own connection: a second one would wait on its locks.
            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
        else:
            raise CommandError(f"No backup method for the {connection.vendor} database.")
        self.stdout.write(f"{target} ({target.stat().st_size} bytes)")

    def pg_dump(self, database, target: Path) -> None:
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        command += ["--file", str(target), "--dbname", database["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if database.get(key):
                command += [option, str(database[key])]
        environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
        try:
            subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
        except FileNotFoundError as error:
            raise CommandError(
                "pg_dump is not installed (apt-get install postgresql-client)."
            ) from error
        except subprocess.CalledProcessError as error:
            target.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {error.stderr.strip()}") from error
