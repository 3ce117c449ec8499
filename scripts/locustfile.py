"""The load test's visitors (run by scripts/loadtest.py): each holds a signed-in session and
reads pages in a mix weighted like a working day (rounds and projects most, the reports now and
then), pausing between pages as a reader does.

Meanwhile one editor saves a record every few seconds (LOADTEST_WRITE_EVERY), straight in the
database, taking turns through the kinds of record people edit: the pages are measured as they are
served with people at work, not only with readers.

The plan (the sessions, the addresses of real records and the records to save) comes from the
JSON file named by LOADTEST_PLAN, which scripts/loadtest.py writes.
"""

import itertools
import json
import os
import random
from pathlib import Path

import psycopg
from locust import FastHttpUser, User, between, constant, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
SESSIONS = itertools.cycle(PLAN["sessions"])
WRITE_EVERY = float(os.environ.get("LOADTEST_WRITE_EVERY", "30"))


class Reader(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.headers = {"Cookie": f"{PLAN['cookie']}={next(SESSIONS)}"}

    @task
    def page(self):
        group = random.choices(PLAN["pages"], weights=[p["weight"] for p in PLAN["pages"]])[0]
        with self.client.get(
            random.choice(group["urls"]),
            name=group["name"],
            headers=self.headers,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")


class Editor(User):
    """Saves one record every WRITE_EVERY seconds; its saves are not counted as page views."""

    abstract = WRITE_EVERY <= 0  # readers only: locust leaves the class out
    fixed_count = 1
    wait_time = constant(WRITE_EVERY)

    def on_start(self):
        self.connection = psycopg.connect(os.environ["LOADTEST_DATABASE_URL"], autocommit=True)
        self.kinds = itertools.cycle(PLAN["writes"])

    def on_stop(self):
        self.connection.close()

    @task
    def save(self):
        kind = next(self.kinds)
        table, column = kind["table"], kind["column"]
        self.connection.execute(
            f'UPDATE "{table}" SET "{column}" = "{column}" WHERE id = %s',
            [random.choice(kind["ids"])],
        )
