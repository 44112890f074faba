"""Run wrk against one page with a logged-in session and read back its latencies and status codes.

wrk's own summary counts only 4xx and 5xx as errors, so a page that redirects to the login would look like
a fast success. The Lua script below counts every status per thread and reports anything outside 2xx; its
``done`` hook prints one machine-readable line that :func:`parse_report` reads.
"""

import dataclasses
import re
import shutil
import subprocess

WRK = "/usr/bin/wrk"

# wrk runs `response` in each thread's own Lua state; `done` runs in another and reads them through `setup`.
REPORT_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, status .. ":" .. n)
  end
  local e = summary.errors
  io.write(string.format(
    "TRACKII-WRK requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
    "connect=%d read=%d write=%d timeout=%d statuses=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
"""

_REPORT = re.compile(r"^TRACKII-WRK (?P<fields>.*)$", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    socket_errors: dict[str, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def not_2xx(self) -> dict[int, int]:
        return {status: n for status, n in sorted(self.statuses.items()) if not 200 <= status < 300}

    @property
    def failure(self) -> str | None:
        """Why this run does not count as a success, in words; None if every request answered 2xx."""
        problems = [f"{n} answered {status}" for status, n in self.not_2xx.items()]
        problems += [f"{n} {kind} errors" for kind, n in self.socket_errors.items() if n]
        if self.requests == 0:
            problems.append("no request completed")
        return "; ".join(problems) or None


def parse_report(output: str) -> WrkResult:
    """The figures of the report line the Lua script's ``done`` hook printed into wrk's output."""
    match = _REPORT.search(output)
    if match is None:
        raise ValueError(f"wrk printed no report line (is the Lua script loaded?):\n{output}")
    fields = dict(item.split("=", 1) for item in match["fields"].split())
    statuses = {}
    for part in filter(None, fields["statuses"].split(",")):
        status, n = part.split(":")
        statuses[int(status)] = int(n)
    return WrkResult(
        requests=int(fields["requests"]),
        duration_s=int(fields["duration_us"]) / 1e6,
        p50_ms=int(fields["p50_us"]) / 1000,
        p95_ms=int(fields["p95_us"]) / 1000,
        p99_ms=int(fields["p99_us"]) / 1000,
        max_ms=int(fields["max_us"]) / 1000,
        statuses=statuses,
        socket_errors={kind: int(fields[kind]) for kind in ("connect", "read", "write", "timeout")},
    )


def wrk_path() -> str:
    """Debian's wrk, or one on PATH; a clear error if neither is there."""
    path = WRK if shutil.which(WRK) else shutil.which("wrk")
    if path is None:
        raise FileNotFoundError("wrk is not installed: apt-get install wrk (Debian's package).")
    return path


def run_wrk(
    url: str, *, cookie: str, connections: int, threads: int, duration: int, script: str
) -> WrkResult:
    """Load `url` for `duration` seconds with `connections` open connections carrying the session cookie.
    `script` is the path of a file holding REPORT_SCRIPT."""
    command = [
        wrk_path(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-H",
        f"Cookie: {cookie}",
        "-s",
        script,
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
    return parse_report(completed.stdout)
