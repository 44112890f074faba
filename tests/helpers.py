"""Small helpers shared by tests of different apps."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def pg_dump() -> str:
    """The test database as `pg_dump --data-only` writes it: what a stolen backup would show."""
    executable = shutil.which("pg_dump")
    assert executable, "pg_dump (PostgreSQL's client) is needed for this test"
    settings = connection.settings_dict
    return subprocess.run(
        [
            executable, "--data-only", "--no-owner", "-h", settings["HOST"],
            "-p", str(settings["PORT"] or 5432), "-U", settings["USER"], settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or ""},
    ).stdout  # fmt: skip


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(**extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TRACKII_VAR_DIR": str(django_settings.VAR_DIR),
        **extra,
    }
    env.setdefault("REDIS_URL", django_settings.CELERY_BROKER_URL)
    return env


class Worker:
    """A `celery worker` process with one solo pool, like the deployment's worker but on the test database."""

    def __init__(self, tmp_path: Path, **env):
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trackii",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"seal-{os.getpid()}-%h-{time.monotonic_ns()}",
            ],
            cwd=ROOT,
            env=child_env(**env),
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_for(condition, *, timeout: float, every: float = 0.05, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(message or "timed out")
