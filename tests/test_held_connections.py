"""An exam's start: every phone opens a connection and keeps it between pages. The server as
`make run` starts it (scripts/serve) must still answer the next cadre while more than a
thousand connections are held; under granian's own default (1,024 open connections) the next
one waited, unaccepted, until another closed."""

from __future__ import annotations

import http.client
import os
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "load"))
from servers import serve  # noqa: E402

HELD = 1100  # past granian's own default of 1,024


@pytest.fixture
def enough_open_files() -> Iterator[None]:
    """Room for both ends of every held connection, here and in the server (which inherits the
    limit): a lower soft limit is raised to what the test needs, then restored."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3 * HELD
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.fail(f"the hard limit on open files ({hard}) is below {wanted}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.usefixtures("enough_open_files")
def test_a_new_cadre_is_answered_while_many_connections_are_held() -> None:
    # The bare one-route app (scripts/bench/ceiling.py): what is measured is the server's
    # handling of connections, which does not depend on the app behind it.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts" / "bench")}
    with serve(env, health="/", APP="ceiling:app", ACCESS_LOG="") as (base, _):
        port = int(base.rsplit(":", 1)[1])
        held = []
        try:
            for _ in range(HELD):  # each answered once and kept open (keep-alive)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/")
                reply = connection.getresponse()
                assert (reply.status, reply.read()) == (200, b"ok")
                held.append(connection)
            newcomer = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            newcomer.request("GET", "/")  # waits past the timeout when it is not accepted
            reply = newcomer.getresponse()
            assert (reply.status, reply.read()) == (200, b"ok")
            newcomer.close()
            # The held ones still answer on their own connections.
            held[0].request("GET", "/")
            assert held[0].getresponse().read() == b"ok"
        finally:
            for connection in held:
                connection.close()
