"""The deployment's real path: nginx (with deploy/nginx.conf's proxy headers) in front of gunicorn.

The test client cannot show this: it sets REMOTE_ADDR to whatever the test likes. Here every
request crosses a real nginx, which connects to gunicorn from 127.0.0.1, and the clients come from
other loopback addresses (127.0.0.2 and 127.0.0.3), as offices and attackers would.
gunicorn runs on a throwaway SQLite file, so the test means the same on both database runs.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.reports.test_batch_celery import free_port, wait_for_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
OFFICE, ATTACKER, SOMEONE = "127.0.0.3", "127.0.0.2", "127.0.0.4"
SETUP = """
from django.core.management import call_command
from itaportal.accounts.models import User
call_command("migrate", verbosity=0)
User.objects.create_user("nakhonsi-staff", password={password!r})
"""


def proxy_header_lines() -> list[str]:
    """The lines of deploy/nginx.conf that shape what gunicorn is told about the client."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    lines = [line.strip() for line in conf.splitlines()]
    headers = [line for line in lines if line.startswith("proxy_set_header")]
    assert any("X-Forwarded-For" in line for line in headers), "nginx.conf must pass the client"
    return headers


def server_lines() -> str:
    """deploy/nginx.conf's server-wide lines: the body limit and nginx's own Thai error pages."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    start = conf.index("    client_max_body_size")
    return conf[start : conf.index("    location / {", start)]


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "itaportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """nginx → gunicorn trusting nginx, and a second gunicorn left with no trusted proxy, on one
    database (set up once: migrating takes most of the time)."""
    tmp_path = tmp_path_factory.mktemp("nginx")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "nginx is missing: scripts/portal test installs it"
    env = {
        key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "itaportal.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_TRUSTED_PROXIES", None)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP.format(password=PASSWORD)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    proxied_port, direct_port, nginx_port = free_port(), free_port(), free_port()
    processes = [
        start_gunicorn(
            env | {"DJANGO_TRUSTED_PROXIES": "127.0.0.1"}, proxied_port, tmp_path / "g1.log"
        ),
        start_gunicorn(env, direct_port, tmp_path / "g2.log"),
    ]
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    headers = "\n".join(proxy_header_lines())
    config = tmp_path / "nginx.conf"
    config.write_text(
        textwrap.dedent(
            f"""
            daemon off;
            master_process off;
            pid {tmp_path}/nginx.pid;
            error_log {tmp_path}/nginx-error.log;
            events {{}}
            http {{
                access_log off;
                client_body_temp_path {tmp_path}/client_body;
                proxy_temp_path {tmp_path}/proxy;
                fastcgi_temp_path {tmp_path}/fastcgi;
                uwsgi_temp_path {tmp_path}/uwsgi;
                scgi_temp_path {tmp_path}/scgi;
                server {{
                    listen 127.0.0.1:{nginx_port};
{server_lines()}
                    location /not-answering/ {{
                        proxy_pass http://127.0.0.1:{free_port()};
                    }}
                    location / {{
                        proxy_pass http://127.0.0.1:{proxied_port};
                        {headers}
                    }}
                }}
            }}
            """
        )
    )
    processes.append(
        subprocess.Popen([nginx, "-c", str(config), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    )
    try:
        for port in (nginx_port, proxied_port, direct_port):
            wait_for_port(port)
        yield {"nginx": nginx_port, "direct": direct_port, "db": tmp_path / "db.sqlite3"}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


def log_in(
    port: int, source: str, password: str, forwarded_for: str | None = None
) -> http.client.HTTPResponse:
    """The login form as a browser fills it in, from the loopback address `source`."""

    def request(method: str, body: str = "", headers: dict[str, str] | None = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0))
        extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        connection.request(method, "/accounts/login/", body, {**extra, **(headers or {})})
        return connection.getresponse()

    page = request("GET")
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert cookie and token
    body = f"csrfmiddlewaretoken={token[1]}&username=nakhonsi-staff&password={password}"
    answer = request(
        "POST",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie[1]}"},
    )
    answer.read()
    return answer


def recorded(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_behind_nginx_an_attacker_locks_only_their_own_address(site: dict[str, Any]) -> None:
    port = site["nginx"]
    for _ in range(5):  # the attacker also forges X-Forwarded-For: nginx appends the truth
        assert log_in(port, ATTACKER, "wrong", forwarded_for=OFFICE).status == 200
    refused = log_in(port, ATTACKER, PASSWORD)
    assert refused.status == 200  # the form again, with the lock's message: not logged in
    assert log_in(port, OFFICE, PASSWORD).status == 302  # the office still logs in

    db = site["db"]
    assert recorded(db, "SELECT ip_address, failures_since_start FROM axes_accessattempt") == [
        (ATTACKER, 5)
    ]
    events = recorded(db, "SELECT action, ip FROM accounts_auditevent WHERE ip != '127.0.0.4'")
    assert sorted(events) == sorted(
        [("login_failed", ATTACKER)] * 5 + [("locked_out", ATTACKER), ("login", OFFICE)]
    )


def test_without_trusted_proxies_a_forged_header_is_ignored(site: dict[str, Any]) -> None:
    response = log_in(site["direct"], SOMEONE, "wrong", forwarded_for="198.51.100.9")
    assert response.status == 200
    events = "SELECT action, ip FROM accounts_auditevent WHERE action = 'login_failed'"
    assert ("login_failed", SOMEONE) in recorded(site["db"], events)
    assert "198.51.100.9" not in str(recorded(site["db"], "SELECT * FROM accounts_auditevent"))
    assert "198.51.100.9" not in str(recorded(site["db"], "SELECT * FROM axes_accessattempt"))


def test_nginx_refuses_in_thai_what_never_reaches_the_portal(site: dict[str, Any]) -> None:
    url = f"http://127.0.0.1:{site['nginx']}"
    big = urllib.request.Request(f"{url}/orgs/import/", data=b"0" * (13 * 1024 * 1024))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(big, timeout=30)
    page = refused.value.read().decode()
    assert refused.value.code == 413 and "ไฟล์ใหญ่เกินไป" in page and "10 MB" in page
    with pytest.raises(urllib.error.HTTPError) as down:
        urllib.request.urlopen(f"{url}/not-answering/", timeout=30)
    assert down.value.code in (502, 503) and down.value.headers["Retry-After"] == "30"
    assert "ระบบไม่พร้อมให้บริการชั่วคราว" in down.value.read().decode()
