"""Exporting and importing again gives the same record, in every format."""

from pathlib import Path

import pytest

from civhub.knowledge import exporters, importers
from civhub.knowledge.models import Practice
from civhub.knowledge.services.imports import export_records, import_records, practice_to_record

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_regional_hub.txt"
VARIANTS = ["headings_alone.txt", "run_in_reordered_wrapped.txt", "missing_fields.txt"]
pytestmark = pytest.mark.django_db


def read(name: str) -> list[dict]:
    return importers.read((DATA / name).read_bytes(), "un-text", name).records


def import_text(actor, name: str) -> None:
    parsed = importers.read((DATA / name).read_bytes(), "un-text", name)
    report = import_records(
        actor, parsed.records, file_name=name, source=importers.SERIES, lines=parsed.lines
    )
    assert report.ok, report.errors


def without(record: dict, *keys) -> dict:
    return {k: v for k, v in record.items() if k not in keys}


def core(record: dict) -> dict:
    return {k: record[k] for k in importers.KEYS}


def test_the_seed_round_trips_through_the_database_and_the_text(editor):
    (parsed,) = read(SEED.name)
    import_text(editor.user, SEED.name)
    (exported,) = export_records()
    # the database gives back what was read, SDG targets in the record's order included
    assert core(exported) == parsed
    assert exported["sdg_targets"][0] == "16.a"
    assert (exported["language"], exported["source"]) == (
        "en",
        "Good Practices in South-South and Triangular Cooperation",
    )
    text = exporters.to_un_text([exported])
    (again,) = importers.read(text.encode(), "un-text", "export.txt").records
    assert without(again, "source_file") == without(parsed, "source_file")
    assert again["source_file"] == "export.txt"


def test_the_text_writer_lays_the_seed_out_as_the_series_does(editor):
    import_text(editor.user, SEED.name)
    text = exporters.to_un_text(export_records())
    lines = text.split("\n")
    assert lines[:6] == [
        "Regional Hub of Civil Service in Astana",
        "",
        "March 17, 2019",
        "",
        "Challenge",
        "",
    ]
    assert text.endswith(
        "Sustainable Development Goal targets: 16.a, 16.5, 16.6, 16.7, 16.9, 17.9, 17.16, 17.17\n"
        "Countries / territories involved: Kazakhstan-led centre of excellence with 32 "
        "participating countries\n"
        "Supported by: Government of Kazakhstan, UNDP\n"
        "Implementing entity: UNDP\n"
        "Project status: Ongoing\n"
        "Project period: 2014-2017\n"
        "URL of the practice: http://www.regionalhub.org/\n"
        "Contact:\n"
        "  • Mr. Yernar Zharkeshov, Portfolio Manager/Team Leader of the Regional Hub of Civil "
        "Service in Astana, yernar.zharkeshov@undp.org;\n"
        "  • Mr. Murat Narkulov, Programme Associate, Governance and Local Development Unit, "
        "UNDP country office in Kazakhstan, murat.narkulov@undp.org\n"
    )


@pytest.mark.parametrize("fmt", ["un-text", "json", "csv"])
def test_several_records_round_trip_in_every_format(fmt):
    records = [r for name in [SEED.name, *VARIANTS, "several_records.txt"] for r in read(name)]
    written = exporters.export(records, fmt)
    again = importers.read(written.encode(), fmt, "export").records
    if fmt == "un-text":  # the text has no place for the file a record came from
        records = [without(r, "source_file") for r in records]
        again = [without(r, "source_file") for r in again]
    assert again == records


def test_records_without_date_or_fields_stay_apart_in_the_text():
    records = [
        importers.empty_record(title="First", challenge="A.", solution="B."),
        importers.empty_record(title="Second"),
        importers.empty_record(
            title="Third", contacts=[{"name": None, "position": "Desk", "email": None}]
        ),
    ]
    again = importers.read(exporters.to_un_text(records).encode(), "un-text", "x").records
    assert [without(r, "source_file") for r in again] == [
        without(r, "source_file") for r in records
    ]


def test_optional_keys_round_trip_in_json_and_csv(editor):
    record = importers.empty_record(
        title="Наставничество",
        language="ru",
        summary="Кратко.",
        results="Итоги.",
        lessons="Уроки.",
        topics=["e-government"],
        source="Журнал",
        source_file="ru.json",
        period_start=2016,
        period_end=None,
    )
    import_records(editor.user, [record], file_name="ru.json")
    (exported,) = export_records()
    assert exported == record
    for fmt in ("json", "csv"):
        again = importers.read(exporters.export([exported], fmt).encode(), fmt, "x").records
        assert again == [record]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_and_import_again_gives_the_same_record(editor, fmt):
    for name in [SEED.name, *VARIANTS]:
        import_text(editor.user, name)
    before = export_records()
    written = exporters.export(before, fmt)
    parsed = importers.read(written.encode("utf-8"), fmt, f"export.{fmt}")
    report = import_records(editor.user, parsed.records, file_name=f"export.{fmt}", update=True)
    assert (report.updated, report.created) == (4, 0)
    assert export_records() == before


def test_a_practice_entered_on_the_site_exports_its_linked_records(editor, kazakhstan):
    practice = Practice.objects.create(title_en="Typed in", challenge_en="C", language="en")
    practice.countries.add(kazakhstan)
    record = practice_to_record(practice)
    assert record["countries"] == ["Kazakhstan"]
    assert record["sdg_targets"] is None and record["contacts"] is None


def test_export_queries_do_not_grow_with_the_records(editor, django_assert_num_queries):
    import_text(editor.user, SEED.name)
    with django_assert_num_queries(7):
        export_records()
    for name in VARIANTS:
        import_text(editor.user, name)
    with django_assert_num_queries(7):
        assert len(export_records()) == 4
