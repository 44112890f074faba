"""The pieces of `make bench` (manage.py bench_http): reading wrk's report, gunicorn's command line, and
logging in over HTTP like a browser. wrk itself is not run here."""

import urllib.request

import pytest

from trackii.benchmarks import browser, server, wrk
from trackii.benchmarks.logins import _totp_secret
from trackii.management.commands.bench_http import parse_scale

REPORT = """Running 2s test @ http://127.0.0.1:8000/
  2 threads and 4 connections
  Latency   12.00ms    3.00ms  40.00ms   90.00%%
  812 requests in 2.00s, 9.10MB read
Requests/sec:    405.99
TRACKII-WRK requests=812 duration_us=2000000 p50_us=9500 p95_us=18250 p99_us=31000 max_us=40000 \
connect=0 read=0 write=0 timeout=0 statuses=%s
"""


def test_parse_report_reads_requests_and_percentiles():
    result = wrk.parse_report(REPORT % "200:812")
    assert result.per_second == 406.0
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (9.5, 18.25, 31.0)
    assert result.failure is None


def test_parse_report_counts_a_redirect_as_a_failure():
    result = wrk.parse_report(REPORT % "200:800,302:12")
    assert result.not_2xx == {302: 12}
    assert result.failure == "12 answered 302"


def test_parse_report_counts_timeouts_and_an_empty_run_as_failures():
    result = wrk.parse_report(
        (REPORT % "").replace("timeout=0", "timeout=3").replace("requests=812", "requests=0")
    )
    assert result.failure == "3 timeout errors; no request completed"


def test_parse_report_without_the_script_line_is_an_error():
    with pytest.raises(ValueError, match="no report line"):
        wrk.parse_report("Running 2s test @ http://127.0.0.1:8000/\nRequests/sec: 405.99\n")


def test_the_report_script_counts_every_status_and_prints_the_report_line():
    assert "function response(status" in wrk.REPORT_SCRIPT
    assert "TRACKII-WRK requests=" in wrk.REPORT_SCRIPT


def test_gunicorn_is_started_as_make_run_starts_it():
    command = server.web_command({"HOST": "127.0.0.1", "PORT": "8123"})
    assert command[:2] == ["gunicorn", "trackii.wsgi"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--workers") + 1] == "2"
    assert command[command.index("--threads") + 1] == "4"


def test_a_scale_is_a_label_and_a_database_on_the_same_server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trackii_x")
    assert parse_scale("10x=trackii_bench_10x") == (
        "10x",
        "postgres://postgres@127.0.0.1:5432/trackii_bench_10x",
    )
    assert parse_scale("trackii_bench_dev") == (
        "trackii_bench_dev",
        "postgres://postgres@127.0.0.1:5432/trackii_bench_dev",
    )


@pytest.mark.django_db(transaction=True)
def test_login_over_http_with_a_second_factor_gives_a_cookie_that_opens_pages(
    live_server, django_user_model, password
):
    # Staff must use a second factor: the benchmark enrols one, then logs in with a code from its secret.
    staff = django_user_model.objects.create_user(
        email="auditor@example.org", password=password, is_staff=True
    )
    secret = _totp_secret(staff)
    assert secret is not None and _totp_secret(staff) == secret  # enrolled once, then read back

    visitor = browser.Browser(live_server.url)
    visitor.log_in(email=staff.email, password=password, totp_secret=secret)

    # What wrk sends: no cookie jar, only the header.
    cookie = {"Cookie": visitor.cookie_header()}
    request = urllib.request.Request(f"{live_server.url}/", headers=cookie)  # noqa: S310 - our live server
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 200
        assert response.url == f"{live_server.url}/"  # not redirected to the login or the 2FA set-up


@pytest.mark.django_db(transaction=True)
def test_login_over_http_fails_loudly(live_server, django_user_model, password):
    staff = django_user_model.objects.create_user(
        email="auditor@example.org", password=password, is_staff=True
    )
    with pytest.raises(browser.LoginFailed, match="answered 200, not a redirect"):
        browser.Browser(live_server.url).log_in(email=staff.email, password="not-the-password-at-all")
    _totp_secret(staff)
    with pytest.raises(browser.LoginFailed, match="no authenticator secret"):
        browser.Browser(live_server.url).log_in(email=staff.email, password=password)


@pytest.mark.django_db(transaction=True)
def test_a_page_that_sends_the_visitor_to_the_login_is_seen_as_a_redirect(live_server):
    answer = browser.Browser(live_server.url).get("/summaries/")
    assert answer.status == 302
    assert answer.path == browser.LOGIN_PATH
