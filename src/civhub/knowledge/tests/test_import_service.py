"""Importing records into the database: one transaction per file, look-ups, skip and update."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from civhub.core.models import AuditEntry
from civhub.directory.choices import OrganizationKind
from civhub.directory.models import Organization
from civhub.knowledge import importers
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice, PracticeContact
from civhub.knowledge.services.imports import import_records

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def undp(db):
    return Organization.objects.create(
        name="United Nations Development Programme",
        name_ru="Программа развития ООН",
        acronym="UNDP",
        kind=OrganizationKind.INTERNATIONAL,
    )


def import_file(actor, name: str, fmt: str = "un-text", **options):
    parsed = importers.read((DATA / name).read_bytes(), fmt, name)
    source = importers.SERIES if fmt == "un-text" else ""
    return import_records(
        actor, parsed.records, file_name=name, source=source, lines=parsed.lines, **options
    )


def nothing_written():
    return not Practice.objects.exists() and not AuditEntry.objects.exists()


def test_the_seed_is_saved_with_every_field(editor, undp):
    report = import_file(editor.user, "seed_regional_hub.txt")
    assert (report.created, report.updated, report.skipped, report.failed) == (1, 0, 0, 0)
    assert report.errors == []
    practice = Practice.objects.get()
    assert practice.title_en == "Regional Hub of Civil Service in Astana"
    assert practice.title_ru is None and practice.title_kk is None
    assert practice.language == "en"
    assert str(practice.publication_date) == "2019-03-17"
    assert practice.challenge_en.startswith("Recent development trends show")
    assert practice.solution_en.endswith("to name a few.")
    assert practice.project_status == "ongoing"
    assert (practice.period_start, practice.period_end) == (2014, 2017)
    assert practice.url == "http://www.regionalhub.org/"
    assert practice.source == "Good Practices in South-South and Triangular Cooperation"
    assert practice.source_file == "seed_regional_hub.txt"
    assert practice.state == PracticeState.DRAFT and practice.published_at is None
    assert practice.created_by == editor.user
    # a phrase that names no country stays only as written
    assert practice.countries_text == [
        "Kazakhstan-led centre of excellence with 32 participating countries"
    ]
    assert not practice.countries.exists()
    # "UNDP" is found by its acronym; the government is not an organization on record
    assert practice.supported_by_text == ["Government of Kazakhstan", "UNDP"]
    assert list(practice.supported_by.all()) == [undp]
    assert practice.implementing_text == ["UNDP"]
    assert list(practice.implementing_entities.all()) == [undp]
    assert Organization.objects.count() == 1
    assert sorted(practice.sdg_targets.values_list("code", flat=True)) == sorted(
        ["16.a", "16.5", "16.6", "16.7", "16.9", "17.9", "17.16", "17.17"]
    )
    assert list(practice.contacts.values_list("name", "position", "email", "order")) == [
        (
            "Mr. Yernar Zharkeshov",
            "Portfolio Manager/Team Leader of the Regional Hub of Civil Service in Astana",
            "yernar.zharkeshov@undp.org",
            0,
        ),
        (
            "Mr. Murat Narkulov",
            "Programme Associate, Governance and Local Development Unit, UNDP country office in "
            "Kazakhstan",
            "murat.narkulov@undp.org",
            1,
        ),
    ]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (
        "practice.imported",
        editor.user,
        str(practice.pk),
    )
    assert entry.data == {"source_file": "seed_regional_hub.txt", "state": "draft"}


def test_publish(editor):
    import_file(editor.user, "seed_regional_hub.txt", publish=True)
    practice = Practice.objects.get()
    assert practice.state == PracticeState.PUBLISHED
    assert practice.published_at is not None


def test_countries_are_found_by_name_in_any_language_and_any_case(editor, kazakhstan, georgia):
    records = [
        importers.empty_record(
            title="Names",
            countries=["georgia", "Казахстан", "Қазақстан", "Atlantis", "Kyrgyzstan"],
        )
    ]
    import_records(editor.user, records, file_name="names.json")
    practice = Practice.objects.get()
    assert sorted(practice.countries.values_list("code", flat=True)) == ["GE", "KG", "KZ"]
    assert practice.countries_text == [
        "georgia",
        "Казахстан",
        "Қазақстан",
        "Atlantis",
        "Kyrgyzstan",
    ]


def test_organizations_are_found_by_name_or_acronym_and_never_created(editor, undp):
    Organization.objects.create(
        name="Bureau One", acronym="CSB", kind=OrganizationKind.CIVIL_SERVICE_AGENCY
    )
    Organization.objects.create(
        name="Bureau Two", acronym="CSB", kind=OrganizationKind.CIVIL_SERVICE_AGENCY
    )
    records = [
        importers.empty_record(
            title="Orgs",
            supported_by=["Программа развития ООН", "undp", "CSB", "Bureau Two", "Nobody Inc."],
            implementing_entity=["United Nations Development Programme"],
        )
    ]
    import_records(editor.user, records, file_name="orgs.json")
    practice = Practice.objects.get()
    # an acronym two organizations share names neither
    assert sorted(o.name for o in practice.supported_by.all()) == [
        "Bureau Two",
        "United Nations Development Programme",
    ]
    assert list(practice.implementing_entities.all()) == [undp]
    assert practice.supported_by_text[-1] == "Nobody Inc."
    assert Organization.objects.count() == 3


def test_a_file_with_one_bad_record_saves_nothing(editor):
    report = import_file(editor.user, "one_bad_record.txt")
    assert nothing_written()
    assert (report.created, report.updated, report.skipped, report.failed) == (0, 0, 0, 2)
    assert report.errors == [
        "one_bad_record.txt, line 9, record 2 “Record With An Unknown Target”: "
        "Unknown SDG target “16.z”."
    ]
    assert [r.action for r in report.results] == ["created", "failed"]


def test_every_bad_value_of_a_record_is_named(editor):
    records = [
        importers.empty_record(
            title="Bad",
            url="not a url",
            sdg_targets=["16.z", "99.1"],
            contacts=[{"name": "X", "position": None, "email": "x@"}],
        )
    ]
    report = import_records(editor.user, records, file_name="bad.json")
    assert nothing_written()
    assert report.errors == [
        "bad.json, record 1 “Bad”: Unknown SDG target “16.z”.",
        "bad.json, record 1 “Bad”: Unknown SDG target “99.1”.",
        "bad.json, record 1 “Bad”: “x@” is not a valid e-mail address.",
    ]
    records[0].update(sdg_targets=None, contacts=None)
    report = import_records(editor.user, records, file_name="bad.json")
    assert report.errors == ["bad.json, record 1 “Bad”: URL of the practice: Enter a valid URL."]
    assert nothing_written()


def test_a_record_already_imported_is_skipped(editor):
    import_file(editor.user, "several_records.txt")
    first = {p.pk: p.updated_at for p in Practice.objects.all()}
    report = import_file(editor.user, "several_records.txt")
    assert (report.created, report.updated, report.skipped, report.failed) == (0, 0, 3, 0)
    assert {p.pk: p.updated_at for p in Practice.objects.all()} == first
    assert AuditEntry.objects.count() == 3


def test_the_same_title_from_another_file_is_a_new_record(editor):
    import_file(editor.user, "missing_fields.txt")
    parsed = importers.read((DATA / "missing_fields.txt").read_bytes(), "un-text", "other.txt")
    report = import_records(editor.user, parsed.records, file_name="other.txt")
    assert report.created == 1
    assert Practice.objects.count() == 2


def test_update_replaces_the_fields_and_keeps_the_state(editor, kazakhstan):
    import_file(editor.user, "seed_regional_hub.txt", publish=True)
    parsed = importers.read((DATA / "seed_regional_hub.txt").read_bytes(), "un-text", "x")
    record = parsed.records[0]
    record.update(
        source_file="seed_regional_hub.txt",
        countries=["Kazakhstan"],
        status="completed",
        contacts=[{"name": "Ms. New", "position": None, "email": None}],
        sdg_targets=["17.17", "16.a"],
    )
    report = import_records(editor.user, [record], file_name="seed_regional_hub.txt", update=True)
    assert (report.created, report.updated, report.skipped) == (0, 1, 0)
    practice = Practice.objects.get()
    assert practice.state == PracticeState.PUBLISHED
    assert practice.project_status == "completed"
    assert list(practice.countries.all()) == [kazakhstan]
    assert list(practice.contacts.values_list("name", flat=True)) == ["Ms. New"]
    assert PracticeContact.objects.count() == 1
    assert sorted(practice.sdg_targets.values_list("code", flat=True)) == ["16.a", "17.17"]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "practice.imported",
        "practice.reimported",
    ]


def test_skipping_matches_the_title_in_any_language(editor):
    records = [importers.empty_record(title="Наставничество", language="ru", challenge="Текст")]
    import_records(editor.user, records, file_name="ru.json")
    practice = Practice.objects.get()
    assert (practice.language, practice.title_ru, practice.challenge_ru) == (
        "ru",
        "Наставничество",
        "Текст",
    )
    assert practice.title_en is None
    report = import_records(editor.user, records, file_name="ru.json")
    assert report.skipped == 1


def test_topics_by_slug_or_name(editor):
    records = [
        importers.empty_record(title="T", topics=["e-government", "Правовая база"]),
    ]
    import_records(editor.user, records, file_name="t.json")
    assert sorted(Practice.objects.get().topics.values_list("slug", flat=True)) == [
        "e-government",
        "legal-framework",
    ]
    records[0].update(title="U", topics=["no such topic"])
    report = import_records(editor.user, records, file_name="t.json")
    assert report.errors == ["t.json, record 1 “U”: Unknown topic “no such topic”."]


def test_dry_run_checks_everything_and_saves_nothing(editor):
    report = import_file(editor.user, "several_records.txt", dry_run=True)
    assert (report.created, report.failed) == (3, 0)
    assert report.dry_run
    assert nothing_written()


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_editors_import(persona):
    with pytest.raises(PermissionDenied):
        import_file(persona.user, "seed_regional_hub.txt")
    assert nothing_written()


def test_the_system_may_import_without_a_user(db):
    report = import_file(None, "missing_fields.txt")
    assert report.created == 1
    practice = Practice.objects.get()
    assert practice.created_by is None
    assert AuditEntry.objects.get().actor is None


BAD_FILES = [
    ("empty.txt", b"", 1, "The file is empty."),
    ("binary.txt", b"Title\n\x00\x01\x02\xff", 2, "binary file"),
    ("practices.csv.txt", (DATA / "practices.csv.txt").read_bytes(), 1, "Expected a practice"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, 1, "nested too deeply"),
]


@pytest.mark.parametrize(("name", "data", "line", "message"), BAD_FILES)
def test_bad_files_give_a_clear_error_and_write_nothing(editor, name, data, line, message):
    with pytest.raises(importers.ParseError) as info:
        importers.read(data, importers.format_for(name), f"/uploads/{name}")
    error = info.value
    assert (error.file, error.line) == (name, line)
    assert str(error).startswith(f"{name}, line {line}: ")
    assert message in str(error)
    assert nothing_written()


def test_a_cut_off_record_is_imported_with_what_it_has(editor):
    report = import_file(editor.user, "cut_off_excerpt.txt")
    assert (report.created, report.failed) == (1, 0)
    practice = Practice.objects.get()
    assert practice.title_en == "Peer Review of Civil Service Legislation"
    assert practice.challenge_en.endswith("before they reached parliament, and")
    assert (practice.solution_en, practice.project_status) == ("", "")


def test_a_subtitle_is_kept_as_the_summary(editor):
    import_file(editor.user, "web_page_copy.txt")
    practice = Practice.objects.get()
    assert practice.summary_en == "How two neighbouring agencies shared one vacancy system"
    assert list(practice.contacts.values_list("email", flat=True)) == [
        "aigerim.testova@example.org",
        "daniyar.samplebek@example.org",
    ]


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("truncated.txt", 3),
        ("cut_off_excerpt.txt", 3),
        ("web_page_copy.txt", 1),
        ("no_challenge_heading.txt", 5),
    ],
)
def test_strict_refuses_a_file_with_guesses_or_gaps_and_writes_nothing(editor, name, line):
    with pytest.raises(importers.ParseError) as info:
        importers.read((DATA / name).read_bytes(), "un-text", name, strict=True)
    assert (info.value.file, info.value.line) == (name, line)
    assert info.value.message.endswith("(refused in strict mode)")
    assert nothing_written()
