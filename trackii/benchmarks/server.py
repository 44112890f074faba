"""Start gunicorn the way `make run` does, on a free loopback port, for one database.

The command line is read from the `web` program of trackii/runtime/supervisord.conf, so the benchmark serves
with the same workers, threads and options as `make run`, and stays so when that file changes. The
environment is bin/run's: trackii.settings with the caller's TRACKII_ENV, TRACKII_VAR_DIR and REDIS_URL, a
run id, HOST and PORT; only DATABASE_URL differs per scale.
"""

import configparser
import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

SUPERVISORD_CONF = Path(settings.BASE_DIR) / "trackii" / "runtime" / "supervisord.conf"
HOST = "127.0.0.1"


def web_command(environment: dict[str, str]) -> list[str]:
    """The `web` program's command from supervisord.conf, its %(ENV_X)s expanded as supervisord does."""
    parser = configparser.RawConfigParser()
    parser.read(SUPERVISORD_CONF)
    line = parser.get("program:web", "command")
    expanded = line % {f"ENV_{name}": value for name, value in environment.items()}
    return shlex.split(expanded)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_gunicorn(*, database_url: str, log_path: Path, start_timeout: float = 60.0) -> Iterator[str]:
    """gunicorn serving `database_url`; yields its base URL and stops it (its whole process group) after."""
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "trackii.settings",
        "HOST": HOST,
        "PORT": str(port),
        "TRACKII_VAR_DIR": str(settings.VAR_DIR),
        "TRACKII_RUN_ID": str(uuid.uuid4()),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = web_command(environment)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - the command is supervisord.conf's, not user input
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the master and both workers stop together
        )
    base_url = f"http://{HOST}:{port}"
    try:
        _wait_until_serving(base_url, process, log_path, start_timeout)
        yield base_url
    finally:
        _stop(process)


def _wait_until_serving(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5):  # noqa: S310 - our own loopback
                return
        except urllib.error.HTTPError:
            return  # it answers (an unhealthy worker or broker is not this benchmark's concern)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {log_path}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
