"""The editors' import page and the public export links."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civhub.knowledge import importers
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_regional_hub.txt"
pytestmark = pytest.mark.django_db


def url() -> str:
    return reverse("knowledge:practice_import")


def upload(client, name: str, data: bytes | None = None, **fields):
    content = (DATA / name).read_bytes() if data is None else data
    post = {"format": "un-text", **fields, "file": SimpleUploadedFile(name, content)}
    return client.post(url(), post)


def test_the_import_page_lives_under_the_language_prefix():
    assert url() == "/en/practices/import/"
    assert reverse("knowledge:practice_export", kwargs={"extension": "json"}) == (
        "/en/practices/export.json"
    )


def test_visitors_are_sent_to_log_in(visitor):
    response = visitor.get(url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = visitor.post(url(), {"format": "un-text"})
    assert response.status_code == 302
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 403),
        ("focal_point", 403),
        ("evaluator", 403),
        ("steering", 403),
        ("editor", 200),
        ("admin", 200),
    ],
    indirect=["persona"],
)
def test_only_editors_may_import(persona, status):
    assert persona.get(url()).status_code == status
    response = upload(persona, SEED.name, dry_run="")
    assert response.status_code == status
    assert Practice.objects.exists() == (status == 200)


def test_the_form(editor):
    response = editor.get(url())
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in html
    for field in ("file", "format", "dry_run", "publish", "strict", "update"):
        assert f'for="id_{field}"' in html
    assert '<input type="checkbox" name="dry_run" id="id_dry_run" checked>' in html
    assert "/en/practices/export.csv" in html


def test_a_dry_run_shows_the_records_and_saves_nothing(editor):
    response = upload(editor, "several_records.txt", dry_run="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run: what would be imported" in html
    for title in (
        "One-Stop Shop for Public Services",
        "Civil Service Academy Exchange",
        "Open Data on Civil Service Vacancies",
    ):
        assert title in html
    assert html.count("Would be created") == 4  # the count, and each record
    assert "3 records in several_records.txt" in html
    assert "Completed" in html and "16.10" in html
    assert not Practice.objects.exists()
    report = response.context["report"]
    assert (report.created, report.failed, report.dry_run) == (3, 0, True)


def test_a_real_upload_imports_and_shows_the_counts(editor):
    response = upload(editor, SEED.name, publish="on")
    assert response.status_code == 200
    practice = Practice.objects.get()
    assert practice.state == PracticeState.PUBLISHED
    assert practice.created_by == editor.user
    assert practice.source_file == SEED.name
    html = response.content.decode()
    assert "Import result" in html
    assert practice.get_absolute_url() in html
    report = response.context["report"]
    assert (report.created, report.updated, report.skipped, report.failed) == (1, 0, 0, 0)
    # the same file again is skipped
    response = upload(editor, SEED.name)
    assert response.context["report"].skipped == 1
    assert "Skipped (imported before)" in response.content.decode()
    assert Practice.objects.count() == 1


def test_json_upload(editor):
    records = importers.read(SEED.read_bytes(), "un-text", SEED.name).records
    data = json.dumps(records).encode()
    response = upload(editor, "records.json", data, format="json")
    assert response.status_code == 200
    assert Practice.objects.get().source_file == SEED.name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("picture.txt", b"GIF89a\n\x00\x00", "picture.txt, line 2: This is a binary file"),
        ("deep.json", b"[" * 50_000 + b"]" * 50_000, "deep.json, line 1: The JSON is nested"),
        ("practices.csv.txt", None, "practices.csv.txt, line 1: Expected a practice title"),
    ],
)
def test_a_bad_upload_names_the_file_and_the_line(editor, name, data, message):
    fmt = importers.format_for(name)
    response = upload(editor, name, data, dry_run="on", format=fmt)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Practice.objects.exists()


def test_an_empty_upload(editor):
    response = upload(editor, "empty.txt", b"")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Practice.objects.exists()


def test_a_file_with_a_bad_record_saves_nothing_and_lists_the_errors(editor):
    response = upload(editor, "one_bad_record.txt")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing from this file was saved" in html
    assert (
        "one_bad_record.txt, line 9, record 2 “Record With An Unknown Target”: "
        "Unknown SDG target “16.z”."
    ) in html
    assert html.count("Not saved") == 2
    assert not Practice.objects.exists()


@pytest.fixture
def practices(editor):
    from civhub.knowledge.services.imports import import_records

    published = importers.read(SEED.read_bytes(), "un-text", SEED.name)
    import_records(editor.user, published.records, file_name=SEED.name, publish=True)
    draft = importers.read((DATA / "missing_fields.txt").read_bytes(), "un-text", "m.txt")
    import_records(editor.user, draft.records, file_name="m.txt")


@pytest.mark.parametrize("persona", ["visitor", "member", "editor"], indirect=True)
def test_everyone_exports_the_published_practices_as_json(persona, practices):
    response = persona.get("/en/practices/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="practices.json"'
    records = json.loads(response.content)
    assert [r["title"] for r in records] == ["Regional Hub of Civil Service in Astana"]


def test_csv_and_text_exports_read_back(visitor, practices):
    csv_response = visitor.get("/en/practices/export.csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response.content.startswith("\ufeff".encode())  # for spreadsheets
    text_response = visitor.get("/en/practices/export.txt")
    assert text_response["Content-Type"] == "text/plain; charset=utf-8"
    expected = importers.read(SEED.read_bytes(), "un-text", SEED.name).records[0]
    # A visitor's export withholds the contacts' e-mail addresses, as the page does.
    expected["contacts"] = [{**c, "email": None} for c in expected["contacts"]]
    (from_csv,) = importers.read(csv_response.content, "csv", "practices.csv").records
    assert {k: from_csv[k] for k in importers.KEYS} == expected
    (from_text,) = importers.read(text_response.content, "un-text", SEED.name).records
    assert from_text == expected


def test_unknown_export_formats(visitor):
    assert visitor.get("/en/practices/export.xml").status_code == 404
    assert visitor.post("/en/practices/export.json").status_code == 405


def test_the_upload_page_lists_the_fields_found_and_the_warnings(editor):
    response = upload(editor, "cut_off_excerpt.txt", dry_run="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "title, date, challenge" in html
    assert "not found: towards a solution, SDG targets" in html
    assert "cut_off_excerpt.txt, line 3: The date line also says “Governance”" in html
    assert "cut_off_excerpt.txt, line 5: “Peer Review of Civil Service Legislation” ends" in html


def test_a_strict_upload_refuses_a_cut_off_record(editor):
    response = upload(editor, "cut_off_excerpt.txt", strict="on")
    assert response.status_code == 400
    assert "cut_off_excerpt.txt, line 3:" in response.content.decode()
    assert "(refused in strict mode)" in response.content.decode()
    assert not Practice.objects.exists()


def test_the_upload_page_warns_in_russian(editor):
    editor.cookies["django_language"] = "ru"
    response = editor.post(
        "/ru/practices/import/",
        {
            "format": "un-text",
            "dry_run": "on",
            "file": SimpleUploadedFile("c.txt", (DATA / "cut_off_excerpt.txt").read_bytes()),
        },
    )
    html = response.content.decode()
    assert "Найденные поля" in html
    assert "c.txt, строка 3" in html
