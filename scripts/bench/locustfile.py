"""Benchmark scenarios: one endpoint per run, no think time, fixed concurrency.

BENCH_SCENARIO picks the endpoint; BENCH_VISITORS names the JSON of prepared visitors.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, task

SCENARIO = os.environ["BENCH_SCENARIO"]
with open(os.environ["BENCH_VISITORS"]) as _handle:
    DATA = json.load(_handle)
CADRES = itertools.cycle(DATA["cadres"])
COORDINATOR = DATA["coordinator"]


class Visitor(FastHttpUser):
    def wait_time(self) -> float:
        # No think time; a cadre of the synchronized start who is done idles to the end of the
        # run (a stopped user would be replaced by a new one, starting again).
        return 3600.0 if self.done else 0.0

    def on_start(self) -> None:
        self.done = False
        self.me = COORDINATOR if SCENARIO == "dashboard" else next(CADRES)
        # The prepared session cookie goes in every request as it is: no jar that would send
        # a second, server-updated copy beside it.
        self.client.client.cookiejar = None
        self.headers = {"Cookie": self.me["cookie"]}
        self.seq = 0

    @task
    def scenario(self) -> None:
        getattr(self, SCENARIO)()

    def ceiling(self) -> None:
        self.client.get("/", name="ceiling")

    def quiz_page(self) -> None:
        self.client.get(f"/attempts/{self.me['attempt']}", headers=self.headers,
                        name="quiz_page")

    def autosave(self) -> None:
        self.seq += 1
        item, options = random.choice(list(self.me["items"].items()))
        with self.client.put(f"/attempts/{self.me['attempt']}/answers/{item}",
                             json={"response": [random.choice(options)], "seq": self.seq},
                             headers={**self.headers, "X-CSRFToken": self.me["csrf"]},
                             name="autosave", catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"{reply.status_code}: {reply.text[:100]}")

    def submit(self) -> None:
        form = {"csrf_token": self.me["csrf"]}
        with self.client.post("/quizzes/ability-a1/attempts", data=form, headers=self.headers,
                              name="start", allow_redirects=False, catch_response=True) as r:
            location = r.headers.get("Location", "")
            r.success()
        self.client.post(f"{location}/submit", data={**form, "autosaved": "1"},
                         headers=self.headers, name="submit", allow_redirects=False)

    def result(self) -> None:
        self.client.get(f"/attempts/{self.me['graded']}/result", headers=self.headers,
                        name="result")

    def progress(self) -> None:
        self.client.get("/me/progress", headers=self.headers, name="progress")

    def dashboard(self) -> None:
        self.client.get(f"/cohorts/{self.me['cohort']}/dashboard", headers=self.headers,
                        name="dashboard")

    def sync_start(self) -> None:
        """Synchronized start: each cadre starts the quiz and opens it once, then idles."""
        with self.client.post("/quizzes/ability-a1/attempts", data={"csrf_token": self.me["csrf"]},
                              headers=self.headers, name="start", allow_redirects=False,
                              catch_response=True) as r:
            location = r.headers.get("Location", "")
            if r.status_code != 302:
                r.failure(f"status {r.status_code}")
        if location:
            self.client.get(location, headers=self.headers, name="open")
        self.done = True
