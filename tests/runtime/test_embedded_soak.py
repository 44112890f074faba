"""The embedded runtime under load: `make run`'s supervisor, web server, worker and beat on the SQLite broker.

Four producer processes send 2,000 tasks in bursts (hundreds in the same second) while beat sends its
periodic tasks; the worker is killed with SIGKILL half-way. Every task must run (none lost: the embedded
broker hands back what a dead worker held), the supervisor must restart the worker, no consumer error may
be logged, and Ctrl-C (SIGINT) must stop everything within a few seconds. Real processes, bounded time.
"""

import configparser
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import ROOT

TASKS = 2000
PRODUCERS = 4
BURST = 100
KILL_AFTER = 600  # tasks recorded before the worker is killed
DEADLINE = 240  # seconds for everything to run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(var_dir: Path, **extra) -> dict:
    """What `make run` gives its processes with no configuration: no DATABASE_URL, no REDIS_URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TRACKII_KEYSTORE_DIR"}
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="trackii.settings",
        TRACKII_VAR_DIR=str(var_dir),
        **extra,
    )
    return env


def soak_config(tmp_path: Path) -> Path:
    """`make run`'s own supervisor configuration, with the soak task loaded into the worker."""
    config = configparser.RawConfigParser()
    config.read(ROOT / "trackii/runtime/supervisord.conf")
    config["program:worker"]["command"] += " --include tests.runtime.soak_tasks"
    path = tmp_path / "supervisord.conf"
    with path.open("w") as file:
        config.write(file)
    return path


def recorded(path: Path) -> list[int]:
    if not path.exists():
        return []
    return [int(line) for line in path.read_text().split()]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def healthz(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def runtime(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    port = free_port()
    record = tmp_path / "recorded.txt"
    env = embedded_env(
        var_dir,
        HOST="127.0.0.1",
        PORT=str(port),
        TRACKII_RUN_ID="soak",
        TRACKII_SOAK_RECORD=str(record),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    log = tmp_path / "supervisord.log"
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "supervisor.supervisord", "--configuration", str(soak_config(tmp_path))],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield {"env": env, "port": port, "record": record, "log": log, "supervisor": supervisor}
    finally:
        if supervisor.poll() is None:
            # supervisord stops web, worker and beat before it exits; each runs in a process group of its own,
            # so killing supervisord's group outright (a failed assertion) left them running with the test
            # database open.
            supervisor.terminate()
            try:
                supervisor.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(supervisor.pid, signal.SIGKILL)
                supervisor.wait(timeout=10)


def spawned_pids(log: Path, program: str) -> list[int]:
    marker = f"spawned: '{program}' with pid "
    return [int(line.split(marker)[1]) for line in log.read_text().splitlines() if marker in line]


def test_embedded_runtime_runs_every_task_through_bursts_and_a_killed_worker(runtime):
    log, record, port = runtime["log"], runtime["record"], runtime["port"]
    wait_until(lambda: "trackii@" in log.read_text() and " ready." in log.read_text(), 60, "the worker")
    wait_until(lambda: healthz(port)["checks"]["worker"] == "ok", 60, "/healthz to see the worker")

    share = TASKS // PRODUCERS
    producers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.runtime.producer", str(n * share), str(share), str(BURST)],
            cwd=ROOT,
            env=runtime["env"],
        )
        for n in range(PRODUCERS)
    ]
    started = time.monotonic()
    wait_until(lambda: len(recorded(record)) >= KILL_AFTER, DEADLINE, f"{KILL_AFTER} tasks to run")
    (first_worker,) = spawned_pids(log, "worker")
    os.kill(first_worker, signal.SIGKILL)
    killed_at = len(recorded(record))

    for producer in producers:
        assert producer.wait(timeout=DEADLINE) == 0, "a producer failed to send"
    wait_until(lambda: set(recorded(record)) >= set(range(TASKS)), DEADLINE, "every task to run")
    elapsed = time.monotonic() - started
    time.sleep(2)  # anything still in flight lands now, so duplicates are counted fully

    runs = Counter(recorded(record))
    text = log.read_text()
    health = healthz(port)
    print(  # the figures the note quotes (run with -s to see them)
        f"\nsoak: sent {TASKS}, ran {len(runs)} distinct, lost {TASKS - len(set(runs) & set(range(TASKS)))}, "
        f"duplicated {sum(n - 1 for n in runs.values())}, killed after {killed_at}, "
        f"worker restarts {health.get('worker_restarts')}, dead letters {health.get('dead_letters')}, "
        f"{elapsed:.1f} s ({TASKS / elapsed:.0f} tasks/s)"
    )
    assert set(runs) == set(range(TASKS))
    assert "exited: worker (terminated by SIGKILL; not expected)" in text
    assert len(spawned_pids(log, "worker")) == 2, "the supervisor restarts the worker once"
    assert len(spawned_pids(log, "web")) == 1 and len(spawned_pids(log, "beat")) == 1, (
        "the others kept serving"
    )
    assert "Sending due task" in text, "beat sent its periodic tasks during the soak"
    for fault in ("Unrecoverable error", "JSONDecodeError", "Traceback", "database is locked", "FATAL"):
        assert fault not in text, f"{fault!r} in the runtime's output"
    assert health["status"] == "ok", health
    assert health["worker_restarts"] == 1 and health["dead_letters"] == 0, health

    # Ctrl-C: everything stops within a few seconds and no process is left behind.
    children = spawned_pids(log, "worker")[-1:] + spawned_pids(log, "web") + spawned_pids(log, "beat")
    stop_started = time.monotonic()
    runtime["supervisor"].send_signal(signal.SIGINT)
    runtime["supervisor"].wait(timeout=25)
    # supervisord gives each process 5 s before SIGKILL; the margin is for a machine busy with other tests.
    assert time.monotonic() - stop_started < 20
    wait_until(lambda: not any(pid_alive(pid) for pid in children), 5, "every process to end")
