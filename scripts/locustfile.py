"""The load test's visitors (run by scripts/loadtest.py): each holds a signed-in session and
reads pages in a mix weighted like a working day (rounds and projects most, the reports now and
then), pausing between pages as a reader does.

The plan (the sessions and the addresses of real records) comes from the JSON file named by
LOADTEST_PLAN, which scripts/loadtest.py writes.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
SESSIONS = itertools.cycle(PLAN["sessions"])


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set(PLAN["cookie"], next(SESSIONS))

    @task
    def page(self):
        group = random.choices(PLAN["pages"], weights=[p["weight"] for p in PLAN["pages"]])[0]
        with self.client.get(
            random.choice(group["urls"]), name=group["name"], catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
