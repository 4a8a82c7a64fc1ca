"""`civhub import-practices` and `civhub export-practices` on the command line."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civhub.core.models import AuditEntry
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_regional_hub.txt"
KEYS = [
    "title",
    "date",
    "challenge",
    "solution",
    "sdg_targets",
    "countries",
    "supported_by",
    "implementing_entity",
    "status",
    "period_start",
    "period_end",
    "url",
    "contacts",
    "source_file",
]
pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import-practices", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_prints_only_the_records_and_writes_nothing():
    out, err = run("--dry-run", "--json", SEED, DATA / "several_records.txt")
    records = json.loads(out)  # stdout is the JSON list and nothing else
    assert [list(r) for r in records] == [KEYS] * 4
    seed = records[0]
    assert seed["title"] == "Regional Hub of Civil Service in Astana"
    assert seed["date"] == "2019-03-17"
    assert seed["sdg_targets"] == ["16.a", "16.5", "16.6", "16.7", "16.9", "17.9", "17.16", "17.17"]
    assert (seed["period_start"], seed["period_end"]) == (2014, 2017)
    assert seed["status"] == "ongoing"
    assert seed["source_file"] == "seed_regional_hub.txt"
    assert [list(c) for c in seed["contacts"]] == [["name", "position", "email"]] * 2
    assert records[3]["date"] is None
    assert "[1/2] seed_regional_hub.txt: 1 record" in err
    assert "[2/2] several_records.txt: 3 records" in err
    assert "Dry run: nothing was saved." in err
    assert "Created 4, updated 0, skipped 0, failed 0." in err
    assert not Practice.objects.exists() and not AuditEntry.objects.exists()


def test_the_json_output_imports_as_it_is(tmp_path):
    out, _err = run("--dry-run", "--json", SEED, DATA / "headings_alone.txt")
    dumped = tmp_path / "records.json"
    dumped.write_text(out, encoding="utf-8")
    out2, _err = run("--dry-run", "--json", "--format", "json", dumped)
    assert json.loads(out2) == json.loads(out)

    out3, _err = run("--format", "json", "--publish", dumped)
    assert out3.strip() == "Created 2, updated 0, skipped 0, failed 0."
    practice = Practice.objects.get(title_en="Regional Hub of Civil Service in Astana")
    # the record keeps the file it was first read from
    assert practice.source_file == "seed_regional_hub.txt"
    assert practice.state == PracticeState.PUBLISHED
    # so importing the text itself now skips it
    out4, _err = run(SEED)
    assert out4.strip() == "Created 0, updated 0, skipped 1, failed 0."


def test_counts_skip_and_update():
    assert run(DATA / "several_records.txt")[0].strip() == (
        "Created 3, updated 0, skipped 0, failed 0."
    )
    assert run(DATA / "several_records.txt")[0].strip() == (
        "Created 0, updated 0, skipped 3, failed 0."
    )
    assert run("--update", DATA / "several_records.txt")[0].strip() == (
        "Created 0, updated 3, skipped 0, failed 0."
    )
    assert (
        Practice.objects.filter(
            source="Good Practices in South-South and Triangular Cooperation"
        ).count()
        == 3
    )


def test_a_failed_file_is_reported_and_the_others_are_saved():
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "import-practices",
            str(DATA / "truncated.txt"),
            str(DATA / "missing_fields.txt"),
            str(DATA / "one_bad_record.txt"),
            stdout=out,
            stderr=err,
        )
    assert info.value.returncode == 1
    assert str(info.value) == (
        "1 of 3 files failed, and nothing from it was saved: one_bad_record.txt. "
        "Saved: truncated.txt, missing_fields.txt."
    )
    assert (
        "Warning: truncated.txt, line 3: “Regional Hub of Civil Service in Astana” ends without:"
        in err.getvalue()
    )
    assert (
        "one_bad_record.txt, line 9, record 2 “Record With An Unknown Target”: Unknown SDG target “16.z”."
        in err.getvalue()
    )
    assert out.getvalue().strip() == "Created 2, updated 0, skipped 0, failed 2."
    assert sorted(Practice.objects.values_list("title_en", flat=True)) == [
        "Mentoring Scheme for Newly Appointed Civil Servants",
        "Regional Hub of Civil Service in Astana",
    ]


def test_the_summary_names_the_saved_file_and_the_one_too_deep_to_read(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps([{"title": "A Good Record"}]))
    bad.write_text("[" * 100_000 + "]" * 100_000)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import-practices", str(good), str(bad), stdout=out, stderr=err)
    assert str(info.value) == (
        "1 of 2 files failed, and nothing from it was saved: bad.json. Saved: good.json."
    )
    assert "bad.json, line 1: The JSON is nested too deeply" in err.getvalue()
    assert list(Practice.objects.values_list("title_en", flat=True)) == ["A Good Record"]


def test_each_record_s_fields_and_warnings_are_reported():
    _out, err = run(DATA / "web_page_copy.txt")
    assert (
        "web_page_copy.txt, line 1 “Open Recruitment Portal for Rural Municipalities”: "
        "every field found." in err
    )
    assert (
        "Warning: web_page_copy.txt, line 1: The e-mail address “aigerim.testova@ example.org”"
        in err
    )
    assert "Warning: web_page_copy.txt, line 9: This line is read as the subtitle" in err


def test_strict_refuses_and_says_why():
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import-practices",
            "--strict",
            str(DATA / "cut_off_excerpt.txt"),
            stdout=out,
            stderr=err,
        )
    assert "cut_off_excerpt.txt, line 3: The date line also says" in err.getvalue()
    assert not Practice.objects.exists()


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.txt")


def test_user_option(editor, member):
    run("--user", editor.user.email, DATA / "missing_fields.txt")
    assert Practice.objects.get().created_by == editor.user
    with pytest.raises(CommandError, match="is not an editor"):
        run("--user", member.user.email, DATA / "missing_fields.txt")
    with pytest.raises(CommandError, match="No user"):
        run("--user", "nobody@example.org", DATA / "missing_fields.txt")


def test_export_command(tmp_path):
    run("--publish", SEED)
    run(DATA / "missing_fields.txt")
    out = StringIO()
    call_command("export-practices", "--state", "published", stdout=out)
    assert [r["title"] for r in json.loads(out.getvalue())] == [
        "Regional Hub of Civil Service in Astana"
    ]
    target = tmp_path / "all.txt"
    call_command("export-practices", "--format", "un-text", "-o", str(target), stderr=StringIO())
    assert target.read_text(encoding="utf-8").count("\nChallenge\n") == 2


def _civhub(*args, tmp_path) -> subprocess.CompletedProcess:
    """The console script itself, on an empty settings directory and no database: the paths
    tested here fail before any query."""
    env = {**os.environ, "CIVHUB_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    script = Path(sys.executable).with_name("civhub")
    return subprocess.run(
        [str(script), *map(str, args)], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_hyphenated_command_runs_from_the_console_script(tmp_path):
    result = _civhub("help", "import-practices", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout and "--json" in result.stdout


def test_the_exit_code_is_not_zero_when_a_file_fails(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = _civhub("import-practices", "--dry-run", "--json", empty, tmp_path=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == []
    assert "empty.txt, line 1: The file is empty." in result.stderr
