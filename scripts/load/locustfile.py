"""Cadres who start the same quiz within seconds and answer it with autosave.

Each simulated cadre logs in, starts the quiz, answers every question with think time (some
answers changed again later), now and then drops its connection or reloads the page, and
submits. Every answer the server acknowledges is appended to LOAD_ACK_FILE, so the checker can
compare it with the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task
from locust.exception import StopUser

USERNAMES = iter(os.environ["LOAD_USERNAMES"].split(","))
PASSWORD = os.environ["LOAD_PASSWORD"]
QUIZ = os.environ.get("LOAD_QUIZ", "ability-a1")
ACK_FILE = os.environ["LOAD_ACK_FILE"]
DROP_SHARE = float(os.environ.get("LOAD_DROP_SHARE", "0.1"))
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ITEM_RE = re.compile(r'data-item-id="([^"]+)" data-seq="\d+"[^>]*>(.*?)</fieldset>', re.S)
VALUE_RE = re.compile(r'name="item_\d+"\s+value="([^"]+)"')
SELECT_RE = re.compile(r'<option value="([^"=]+=[^"]+)"')
_lock = threading.Lock()
_names = itertools.count()


def record(ack: dict) -> None:
    with _lock, open(ACK_FILE, "a") as handle:
        handle.write(json.dumps(ack) + "\n")


class Cadre(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        try:
            self.username = next(USERNAMES)
        except StopIteration:
            raise StopUser() from None
        # A cadre whose log-in fails (a killed worker drops the connection) tries again.
        for _ in range(3):
            try:
                page = self.client.get("/login", name="/login").text
                token = CSRF_RE.search(page).group(1)
                reply = self.client.post("/login", data={
                    "csrf_token": token, "username": self.username, "password": PASSWORD,
                }, name="/login [POST]")
                if "/login" not in reply.url:
                    break
            except (AttributeError, OSError):
                continue
        else:
            raise StopUser()
        self.open_attempt(start=True)
        self.seq = 0
        self.answered: set[str] = set()

    def open_attempt(self, start: bool = False) -> None:
        if start:
            token = CSRF_RE.search(self.client.get("/quizzes/", name="/quizzes/").text).group(1)
            response = self.client.post(f"/quizzes/{QUIZ}/attempts", data={"csrf_token": token},
                                        name="/quizzes/[id]/attempts")
            self.attempt_url = response.url
        page = self.client.get(self.attempt_url, name="/attempts/[id]").text
        self.token = CSRF_RE.search(page).group(1)
        self.items = {}
        for item_id, body in ITEM_RE.findall(page):
            pairs = SELECT_RE.findall(body)
            ids = VALUE_RE.findall(body)
            if pairs or ids:  # written answers (typed text) are left out of the load
                self.items[item_id] = ("pairs", pairs) if pairs else ("ids", ids)

    def answer_for(self, item_id: str) -> list[str]:
        kind, values = self.items[item_id]
        if kind == "ids":
            return [random.choice(values)]
        chosen: dict[str, str] = {}
        for value in values:  # one value per option of a paired question, places distinct
            option, _, target = value.partition("=")
            if option not in chosen and target not in chosen.values():
                chosen[option] = target
        return sorted(f"{option}={target}" for option, target in chosen.items())

    @task
    def answer(self) -> None:
        unanswered = [i for i in self.items if i not in self.answered]
        if not unanswered:
            self.submit()
            return
        # Mostly new questions; now and then a cadre changes an earlier answer.
        item_id = random.choice(unanswered if random.random() < 0.85 or not self.answered
                                else sorted(self.answered))
        self.seq += 1
        response = self.answer_for(item_id)
        with self.client.put(f"{self.attempt_url}/answers/{item_id}",
                             json={"response": response, "seq": self.seq},
                             headers={"X-CSRFToken": self.token, "Accept": "application/json"},
                             name="/attempts/[id]/answers/[item]", catch_response=True) as reply:
            if reply.status_code == 200:
                body = reply.json()
                if body.get("applied"):
                    record({"attempt": self.attempt_url.rsplit("/", 1)[1], "item": item_id,
                            "seq": self.seq, "response": sorted(body["response"])})
                    self.answered.add(item_id)
                reply.success()
            else:
                reply.failure(f"status {reply.status_code}: {reply.text[:120]}")
        if random.random() < DROP_SHARE:
            # The phone loses its connection: drop every open socket, then reload the page.
            self.client.close()
            self.open_attempt()

    def submit(self) -> None:
        # Like the page's script: every answer was autosaved, so the form carries none.
        self.client.post(f"{self.attempt_url}/submit",
                         data={"csrf_token": self.token, "autosaved": "1"},
                         name="/attempts/[id]/submit")
        raise StopUser()
