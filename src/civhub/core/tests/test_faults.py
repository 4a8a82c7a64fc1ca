"""Faults: the database unreachable, the background worker down, the disk full for uploads.
Each gets a clear answer (a 503 page or JSON, a report, a message) and leaves nothing behind."""

import errno
import os
import signal
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connections
from django.test import Client
from huey import SqliteHuey

from civhub.core import services, tasks
from civhub.core.models import Attachment, AuditEntry

# --- The database unreachable ---------------------------------------------------------------


@pytest.fixture
def database_down(db):
    """Every new use of the connection fails as a refused connection does."""
    refused = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=refused):
        yield


@pytest.fixture
def anonymous():
    # Django's test client re-raises a view's exception; a browser gets the error page.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Temporarily unavailable"),
        ("ru", "Временно недоступно"),
        ("kk", "Уақытша қолжетімсіз"),
    ],
)
def test_pages_answer_503_in_the_reader_language(anonymous, database_down, lang, heading):
    for path in (f"/{lang}/", f"/{lang}/laws/", f"/{lang}/practices/"):
        response = anonymous.get(path)
        assert response.status_code == 503, path
        page = response.content.decode()
        assert f'<html lang="{lang}">' in page
        assert page.count("<h1>") == 1 and f"<h1>{heading}</h1>" in page
        assert response["Retry-After"] == "60"


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "unavailable"), ("ru", "недоступен"), ("kk", "қолжетімсіз")]
)
def test_the_api_answers_503_json(anonymous, database_down, lang, words):
    for path in ("/api/v1/laws", "/api/v1/countries", "/api/v1/practices/no-such"):
        response = anonymous.get(path, {"lang": lang})
        assert response.status_code == 503, path
        assert response["Content-Type"].startswith("application/json")
        assert words in response.json()["detail"]
        assert response["Retry-After"] == "60"


def test_healthz_answers_503_naming_the_database(anonymous, database_down):
    response = anonymous.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"


def test_other_api_errors_are_500_json(anonymous, db):
    with mock.patch("civhub.knowledge.api.filtered", side_effect=RuntimeError("bug")):
        response = anonymous.get("/api/v1/laws", {"lang": "ru"})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Ошибка сервера. Администраторы уже оповещены."}


def test_other_page_errors_are_the_500_page(anonymous, db):
    with mock.patch("civhub.directory.pages.member_count_on", side_effect=RuntimeError("bug")):
        response = anonymous.get("/kk/")
    assert response.status_code == 500
    assert '<html lang="kk">' in response.content.decode()
    assert "Retry-After" not in response


UNREACHABLE = """
import django, json
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = {}
for path in ("/ru/laws/", "/api/v1/countries?lang=ru", "/healthz"):
    response = client.get(path)
    answers[path] = [response.status_code, response["Content-Type"].split(";")[0]]
print(json.dumps(answers))
"""


@pytest.mark.parametrize(
    "database_url",
    ["postgres://civhub@127.0.0.1:9/civhub", "sqlite:////nonexistent-civhub-dir/civhub.sqlite3"],
    ids=["postgresql-refused", "sqlite-unopenable"],
)
def test_a_really_unreachable_database(tmp_path, database_url):
    """The whole stack, middleware included, in a process whose database cannot be reached."""
    import json

    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "civhub.settings",
        "CIVHUB_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", UNREACHABLE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers == {
        "/ru/laws/": [503, "text/html"],
        "/api/v1/countries?lang=ru": [503, "application/json"],
        "/healthz": [503, "application/json"],
    }


# --- The background worker down -------------------------------------------------------------


@pytest.fixture
def queue(tmp_path):
    """A queue like the embedded default's (a SQLite file), not in immediate mode."""
    return SqliteHuey("civhub", filename=str(tmp_path / "tasks.sqlite3"))


def test_a_worker_never_seen_is_reported(queue):
    assert services.worker_health(queue) == {
        "ok": False,
        "error": "no heartbeat",
        "pending_tasks": 0,
    }


def test_a_beating_worker_is_ok_and_pending_tasks_are_counted(queue):
    tasks.beat(queue)
    waiting = queue.task()(lambda: None)
    waiting()
    waiting()
    report = services.worker_health(queue)
    assert report["ok"] is True and report["pending_tasks"] == 2
    assert 0 <= report["last_seen_s"] <= services.WORKER_STALE_AFTER


def test_a_stale_heartbeat_is_a_dead_worker(queue):
    tasks.beat(queue)
    later = time.time() + services.WORKER_STALE_AFTER + 1
    report = services.worker_health(queue, now=later)
    assert report["ok"] is False and report["error"] == "stale heartbeat"


def test_immediate_mode_has_no_worker_to_check(db):
    # The tests run tasks in-process (CIVHUB_TASKS_IMMEDIATE), as the embedded default may.
    assert services.worker_health() == {"ok": True, "mode": "immediate"}


def test_healthz_is_503_when_the_worker_is_dead_but_not_for_the_load_balancer(client, db, queue):
    with mock.patch("huey.contrib.djhuey.HUEY", queue):
        full = client.get("/healthz")
        web = client.get("/healthz", {"check": "web"})
    assert full.status_code == 503
    assert full.json()["status"] == "error"
    assert full.json()["worker"]["error"] == "no heartbeat"
    assert web.status_code == 200 and "worker" not in web.json()


def test_healthz_stays_200_while_tasks_wait(client, db, queue):
    tasks.beat(queue)
    queue.task()(lambda: None)()
    with mock.patch("huey.contrib.djhuey.HUEY", queue):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"]["pending_tasks"] == 1


def test_the_real_worker_beats_and_stops_when_killed(tmp_path):
    """`civhub run_huey` writes the heartbeat; killed (as with `kill -9`), it writes no more."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "CIVHUB_VAR_DIR": str(tmp_path),
        "CIVHUB_TASKS_IMMEDIATE": "0",
        "CIVHUB_WORKER_HEARTBEAT": "1",
    }
    civhub = os.path.join(os.path.dirname(sys.executable), "civhub")
    worker = subprocess.Popen(
        [civhub, "run_huey"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    queue = SqliteHuey("civhub", filename=str(tmp_path / "tasks.sqlite3"))
    try:
        for _ in range(600):  # start-up takes a few seconds on a busy machine
            if worker.poll() is not None or queue.get(services.HEARTBEAT_KEY, peek=True):
                break
            time.sleep(0.1)
        assert worker.poll() is None, "the worker did not start"
        first = queue.get(services.HEARTBEAT_KEY, peek=True)
        assert first is not None
        assert services.worker_health(queue)["ok"] is True
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    last = queue.get(services.HEARTBEAT_KEY, peek=True)
    time.sleep(2.5)  # more than two beats of the child's 1 s
    assert queue.get(services.HEARTBEAT_KEY, peek=True) == last
    report = services.worker_health(queue, now=last + services.WORKER_STALE_AFTER + 1)
    assert report["ok"] is False


# --- The disk full for uploads --------------------------------------------------------------

PDF = b"%PDF-1.4\n" + b"0" * 20000 + b"\n%%EOF\n"


class DiskFullStorage(FileSystemStorage):
    """Writes the first part of a file, then fails as a full disk does."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read(4096))
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def disk_full(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.DiskFullStorage"},
    }


def _files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_a_full_disk_gives_a_clear_message_and_keeps_nothing(member, disk_full, settings):
    from civhub.knowledge.models import Practice

    practice = Practice.objects.create(title="Mine", created_by=member.user)
    upload = SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")
    response = member.post(
        f"/en/practices/{practice.slug}/files/",
        {"file": upload, "title": "Case", "kind": "case_study"},
        follow=True,
    )
    assert response.status_code == 200
    assert "the server has no space left. Nothing was saved." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action="attachment.added").exists()
    assert _files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_message_is_translated(member, disk_full, settings):
    from civhub.knowledge.models import Practice

    practice = Practice.objects.create(title="Mine", created_by=member.user)
    upload = SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")
    response = member.post(
        f"/ru/practices/{practice.slug}/files/", {"file": upload, "kind": "document"}, follow=True
    )
    assert "не осталось места" in response.content.decode()
    assert _files_under(settings.MEDIA_ROOT) == []


def test_a_failure_after_the_file_is_written_removes_the_file(member, settings):
    from civhub.core import attachments
    from civhub.knowledge.models import Practice

    practice = Practice.objects.create(title="Mine", created_by=member.user)
    upload = SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")
    with (
        mock.patch.object(attachments, "audit", side_effect=OperationalError("disk I/O error")),
        pytest.raises(OperationalError),
    ):
        attachments.attach(member.user, practice, upload)
    assert _files_under(settings.MEDIA_ROOT) == []


def test_other_storage_errors_are_not_hidden(member, settings):
    from civhub.core import attachments
    from civhub.knowledge.models import Practice

    practice = Practice.objects.create(title="Mine", created_by=member.user)
    upload = SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf")
    denied = OSError(errno.EACCES, "Permission denied")
    with (
        mock.patch.object(FileSystemStorage, "_save", side_effect=denied),
        pytest.raises(OSError),
    ):
        attachments.attach(member.user, practice, upload)
    assert not Attachment.objects.exists()
