"""The Russian and Kazakh catalogues are complete for every string that exists."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

import civhub

PACKAGE = Path(civhub.__file__).parent
LANGUAGES = ["ru", "kk"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def catalogue(lang: str, root: Path = PACKAGE / "locale") -> polib.POFile:
    return polib.pofile(str(root / lang / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang):
    po = catalogue(lang)
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings lack a {lang} translation: {missing[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    for entry in catalogue(lang).translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= expected | set(
                PLACEHOLDER.findall(entry.msgid_plural)
            ), entry.msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogues_match_the_sources(lang):
    po = catalogue(lang)
    mo = polib.mofile(str(PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    for entry in po.translated_entries():
        assert key(entry) in compiled, f"django.mo is stale: run `make messages` ({entry.msgid!r})"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogues_hold_every_string_in_the_code(lang, tmp_path, monkeypatch):
    """Extract the strings afresh and compare: a new string without a translation fails here."""
    copy = tmp_path / "civhub"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "locale_extra", "tests", "__pycache__"),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=[lang], verbosity=0, no_obsolete=True)
    fresh = {key(e) for e in catalogue(lang, copy / "locale")}
    committed = {key(e) for e in catalogue(lang) if not e.obsolete}
    missing = sorted(m for _c, m in fresh - committed)
    assert not missing, f"strings not in the {lang} catalogue (run `make messages`): {missing[:20]}"


def test_allauth_pages_have_kazakh():
    import allauth

    theirs = polib.pofile(
        str(Path(allauth.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    )
    ours = {key(e) for e in catalogue("kk", PACKAGE / "locale_extra").translated_entries()}
    missing = [e.msgid for e in theirs if not e.obsolete and key(e) not in ours]
    assert not missing, f"allauth strings without Kazakh: {missing[:20]}"
