"""Step notifications: e-mail and LINE (the Messaging API's push, faked by a real HTTP server on
loopback, the one thing outside the machine). A LINE failure never fails the memo action, and the
retry delivers once LINE answers again."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments.models import Organisation
from itaportal.accounts.models import User
from itaportal.celery import app as celery_app
from reports.memos.models import Memo, MemoStep
from tests.conftest import make_user
from tests.reports.test_batch_celery import point_celery_at
from tests.reports.test_memos import act, draft, submit
from tests.test_redis_down import closed_port

pytestmark = pytest.mark.django_db

TOKEN = "channel-token-for-tests"
HEAD_LINE_ID = "U" + "1" * 32


@dataclass
class FakeLine:
    """The Messaging API's push endpoint: records each request, answers the given codes in turn
    (then 200)."""

    server: ThreadingHTTPServer
    answers: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_for(self, count: int, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)


def _handler(fake: Callable[[], FakeLine]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            line = fake()
            body = self.rfile.read(int(self.headers["Content-Length"]))
            code = line.answers.pop(0) if line.answers else 200
            line.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(body),
                 "code": code}
            )  # fmt: skip
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _serve(settings: Any, *, listening: bool = True) -> Iterator[FakeLine]:
    fake: list[FakeLine] = []
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), _handler(lambda: fake[0]), bind_and_activate=False
    )
    server.server_bind()
    if listening:
        server.server_activate()
    fake.append(FakeLine(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    if listening:
        thread.start()
    settings.LINE_API_URL = fake[0].url
    settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
    settings.LINE_RUNNER = "now"
    settings.LINE_RETRY_SECONDS = 0.01
    try:
        yield fake[0]
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()


@pytest.fixture
def line(settings: Any) -> Iterator[FakeLine]:
    yield from _serve(settings)


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind="sao", name="องค์การบริหารส่วนตำบลภูซาง", province="พะเยา", letter_code="พย ๗๒๔๐๑"
    )


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {
        name: make_user(name, organisation=org, role=role, email=f"{name}@example.org",
                        position=position, line_id=line_id)
        for name, role, position, line_id in [
            ("drafter", "staff", "นักทรัพยากรบุคคล", ""),
            ("head", "reviewer", "หัวหน้าสำนักปลัด", HEAD_LINE_ID),
            ("clerk", "reviewer", "ปลัด", ""), ("mayor", "executive", "นายก", ""),
        ]
    }  # fmt: skip


def submitted(org: Organisation, people: dict[str, User], capture: Any) -> Memo:
    with capture(execute=True):
        return submit(draft(org, people), people)


def head_step(memo: Memo) -> str:
    return MemoStep.objects.get(memo=memo, user__username="head").status


def test_it_pushes_one_line_message_with_the_step_and_the_token(
    line, org, people, django_capture_on_commit_callbacks
):
    memo = submitted(org, people, django_capture_on_commit_callbacks)
    [request] = line.requests
    assert request["path"] == "/v2/bot/message/push"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["json"]["to"] == HEAD_LINE_ID
    [message] = request["json"]["messages"]
    assert message["type"] == "text"
    assert message["text"].startswith("มีบันทึกข้อความรอความเห็นของท่าน\n")
    assert f"{memo.reference} รายงานผล ITA" in message["text"]
    assert f"/memos/{memo.pk}/" in message["text"]
    assert mail.outbox[-1].to == ["head@example.org"]  # the e-mail goes as before


@pytest.mark.parametrize(
    ("digit_style", "shown"),
    [("thai", "รายงานผล ITA ปี ๒๕๖๙ ครั้งที่ ๒"), ("arabic", "รายงานผล ITA ปี 2569 ครั้งที่ 2")],
)
def test_the_subject_reaches_people_in_the_organisations_digits(
    digit_style, shown, line, org, people, django_capture_on_commit_callbacks
):
    org.digit_style = digit_style
    org.save()
    memo = draft(org, people)
    Memo.objects.filter(pk=memo.pk).update(subject="รายงานผล ITA ปี 2569 ครั้งที่ ๒")
    memo.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        submit(memo, people)
    memo.refresh_from_db()
    email = mail.outbox[-1]
    [message] = line.requests[-1]["json"]["messages"]
    assert email.subject.endswith(f": {shown}")
    assert shown in email.body and shown in message["text"]
    # the URL keeps its digits whatever the style
    assert f"/memos/{memo.pk}/" in email.body and f"/memos/{memo.pk}/" in message["text"]
    assert memo.subject == "รายงานผล ITA ปี 2569 ครั้งที่ ๒"  # stored as typed


def test_it_sends_no_line_message_to_a_person_without_a_line_id(
    line, org, people, django_capture_on_commit_callbacks
):
    memo = submitted(org, people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        act(memo, people["head"], "forward")  # to the clerk, who has no LINE ID
    assert len(line.requests) == 1 and mail.outbox[-1].to == ["clerk@example.org"]


def test_it_sends_nothing_to_line_without_a_token(
    line, settings, org, people, django_capture_on_commit_callbacks
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    submitted(org, people, django_capture_on_commit_callbacks)
    assert line.requests == []
    assert mail.outbox[-1].to == ["head@example.org"]


def test_it_tries_again_after_a_500_and_delivers_the_same_message(
    line, org, people, django_capture_on_commit_callbacks
):
    line.answers = [500, 503]
    memo = submitted(org, people, django_capture_on_commit_callbacks)
    assert [r["code"] for r in line.requests] == [500, 503, 200]
    first, *_, delivered = line.requests
    assert delivered["json"] == first["json"]
    # the same retry key: LINE takes a repeat of a push it already took only once
    assert delivered["headers"]["X-Line-Retry-Key"] == first["headers"]["X-Line-Retry-Key"]
    assert head_step(memo) == MemoStep.Status.PENDING


def test_it_gives_up_with_a_log_line_and_the_action_stands(
    line, org, people, django_capture_on_commit_callbacks, caplog
):
    line.answers = [500] * 10
    with caplog.at_level(logging.WARNING, logger="reports.memos.tasks"):
        memo = submitted(org, people, django_capture_on_commit_callbacks)
    assert len(line.requests) == 6  # the first try and five more
    assert memo.status == Memo.Status.IN_REVIEW and head_step(memo) == MemoStep.Status.PENDING
    assert "dropped after 6 tries" in caplog.text


@pytest.fixture
def line_down(settings: Any) -> Iterator[FakeLine]:
    """A fake whose port refuses connections until the test starts it."""
    yield from _serve(settings, listening=False)


def test_it_delivers_later_when_line_was_unreachable(
    line_down, settings, org, people, django_capture_on_commit_callbacks, caplog
):
    settings.LINE_RUNNER = "thread"
    settings.LINE_RETRY_SECONDS = 0.2
    with caplog.at_level(logging.INFO, logger="reports.memos.tasks"):
        memo = submitted(org, people, django_capture_on_commit_callbacks)
        assert head_step(memo) == MemoStep.Status.PENDING  # the action is done, LINE or not
        deadline = time.monotonic() + 10
        while "trying again" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "Connection refused" in caplog.text and line_down.requests == []
        line_down.server.server_activate()
        threading.Thread(target=line_down.server.serve_forever, daemon=True).start()
        line_down.wait_for(1)
    [request] = line_down.requests
    assert request["json"]["to"] == HEAD_LINE_ID and request["code"] == 200


def test_it_sends_from_the_web_process_when_the_broker_is_down(
    line, settings, org, people, django_capture_on_commit_callbacks
):
    settings.LINE_RUNNER = "celery"
    previous = celery_app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{closed_port()}/0")
    try:
        submitted(org, people, django_capture_on_commit_callbacks)
        line.wait_for(1)
    finally:
        point_celery_at(previous)
    assert [r["json"]["to"] for r in line.requests] == [HEAD_LINE_ID]


@pytest.mark.parametrize("line_id", ["U123", "u" + "1" * 32, "U" + "G" * 32, "@ita"])
def test_it_refuses_a_malformed_line_id(org, line_id):
    person = User(username="x", organisation=org, line_id=line_id)
    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["password"])
    assert list(refused.value.message_dict) == ["line_id"]
