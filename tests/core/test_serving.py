"""A serving process keeps what start-up built out of the garbage collector's way."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_entry_point_freezes_start_up_and_collects_young_objects_less_often(
        tmp_path):
    # Its own process: freezing is for the life of a process, and the test run's must not be.
    probe = ("import gc, wsgi; from quizapp.serving import YOUNG_COLLECTION_THRESHOLD as t; "
             "print(gc.get_freeze_count(), gc.get_threshold()[0] == t, len(gc.garbage))")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'serving.db'}", "SECRET_KEY": "serving-test",
           "QUIZAPP_CLOSE_OVERDUE_EVERY": "0"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True,
                          text=True, timeout=120, check=True)
    frozen, threshold_set, garbage = done.stdout.split()
    assert int(frozen) > 10_000  # the modules and the app, not a handful of objects
    assert threshold_set == "True" and garbage == "0"
