"""Redis and PostgreSQL servers of our own, in temporary directories, for the tests (and the
load run) that stop and restart them. The machine's own servers are never touched."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class RedisServer:
    """A throw-away redis-server in a temporary directory, on a port of its own."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory, self.port, self.process = directory, port or free_port(), None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class PostgresServer:
    """A PostgreSQL cluster of its own under /tmp, run as the postgres user when we are root
    (initdb refuses root). `close()` stops it and removes its files."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not versions:
            raise FileNotFoundError("PostgreSQL server binaries are not installed")
        self.bin = versions[-1].parent
        # Directly under /tmp: the postgres user must be able to reach the cluster.
        self.home = Path(tempfile.mkdtemp(prefix="quizapp-pg-"))
        self.home.chmod(0o755)
        self.directory, self.port = self.home / "cluster", free_port()
        self.directory.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run("initdb", "-D", str(self.directory), "-A", "trust", "-U", "postgres")

    @staticmethod
    def available() -> bool:
        return bool(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))) and (
            os.geteuid() != 0 or shutil.which("runuser") is not None)

    def run(self, tool: str, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(self.bin / tool), *args], check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.directory), "-w", "-l", str(self.directory / "log"),
                 "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
                 "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.directory), "-w", "-m", "fast", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
