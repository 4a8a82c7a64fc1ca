"""No interface text in English on the Russian and Kazakh pages.

The test crawls every public page the demo data reaches, breadth-first from the home page,
in Russian and in Kazakh, with the test client (no browser), and reads each page's text.
Text counts as interface unless an element around it says it is in another language
(`lang="en"`): record content written in English must say so anyway (WCAG 2.1, 3.1.2
Language of Parts). A text node in ru or kk that holds an English word of the interface
(a word of the English catalogue's msgids, so the test knows every word the interface
uses) fails, with the page and the text.
"""

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import polib
import pycountry
import pytest
from django.conf import settings
from django.test import Client

from civhub.core.templatetags.civhub import text_language
from civhub.core.tests.test_translations import catalogue
from civhub.directory.reference import country_names

# Latin-script words that are the same in every language: names, codes and formats.
SAME_IN_EVERY_LANGUAGE = {"civhub", "email", "e-mail", "orcid", "totp", "ok", "atom"}
# Attributes whose text the reader sees or hears.
SPOKEN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
# Not pages: files, feeds, machine interfaces, and links that change state or log out.
SKIPPED = re.compile(
    r"^/(?:ru|kk)/(?:admin/|accounts/logout|i18n/)"
    r"|/(?:export|download|feed|oai|certificate\.pdf)"
    r"|\.(?:pdf|csv|json|ics|xml|svg|txt|zip)$"
)
# The crawl's bounds: options followed per list of a GET form, and pages read in all.
OPTIONS_PER_CHOICE = 90
MAX_PAGES = 2000
NOT_TYPED = {"submit", "button", "reset", "image", "file", "password"}
# A word stands alone: "16.a" (an SDG target) or a token like "f9co_X" holds none.
WORD = re.compile(r"(?<![\w.])[A-Za-z](?:[A-Za-z'-]*[A-Za-z])?(?![\w])")
# Addresses, file names, and tokens with a digit or "_" (codes, "16.a", certificate ids).
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\b\w+\.\w{2,4}\b|\S*[0-9_]\S*")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
# Not read as the page's text; <title> cannot mark a part's language, and a record's title
# in it is checked where the page shows it (the <h1>).
UNSEEN = {"script", "style", "template", "noscript", "svg", "title"}


def english_words() -> set[str]:
    """Every word of the interface's English strings and of the countries' English names
    (lower case), less the words every language shares."""
    po: polib.POFile = catalogue("ru")
    words: set[str] = set()
    for entry in po:
        for text in (entry.msgid, entry.msgid_plural or ""):
            text = re.sub(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>", " ", text)
            words.update(w.lower() for w in WORD.findall(text) if not w.isupper())
    # Country names are interface too: each has a Russian and a Kazakh name to show.
    for known in pycountry.countries:
        names = country_names(known)
        if "ru" in names and "kk" in names:
            words.update(w.lower() for w in WORD.findall(names["en"]) if not w.isupper())
    return words - SAME_IN_EVERY_LANGUAGE


class PageText(HTMLParser):
    """Collects (language, text) of every text node and spoken attribute, the links, and the
    addresses a GET form of the page leads to (see `FormLinks`)."""

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang of the element)
        self.page_language = page_language
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.forms: list[FormLinks] = []
        self.form: FormLinks | None = None  # the GET form being read
        self.unseen = 0

    def language(self) -> str:
        for _tag, lang in reversed(self.stack):
            if lang:
                return lang.split("-")[0].lower()
        return self.page_language

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.form = FormLinks(attrs.get("action") or "")
            self.forms.append(self.form)
        elif self.form is not None:
            self.form.read(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, lang))
            if tag in UNSEEN:
                self.unseen += 1
        language = lang or self.language()
        for name in SPOKEN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((language, attrs[name]))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append((language, attrs["value"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None:
            self.form.select = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for closed, _lang in self.stack[i:]:
                    if closed in UNSEEN:
                        self.unseen -= 1
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.form is not None and self.form.option is not None:
            self.form.option_text(data)
        if not self.unseen and data.strip():
            self.texts.append((self.language(), data.strip()))


class FormLinks:
    """What a reader can ask of a GET form (a filter panel, a search's options, a
    comparison): the form as it stands with one choice changed at a time, each option of
    each list or checkbox in turn. A long list (249 countries, 169 SDG targets) is
    sampled evenly, at most `OPTIONS_PER_CHOICE` of its options; the page that holds the
    form shows every option's label anyway."""

    def __init__(self, action: str):
        self.action = action
        self.fixed: list[tuple[str, str]] = []  # hidden and typed-in values, as submitted
        # a list's, radio's or checkbox's options, each [value or None, text]
        self.choices: dict[str, list[list[Any]]] = {}
        self.select: str | None = None
        self.option: list[Any] | None = None  # [value or None, text] of the <option> being read

    def read(self, tag: str, attrs: dict):
        name = attrs.get("name")
        if tag == "select" and name and "disabled" not in attrs:
            self.select = name
            self.choices.setdefault(name, [])
        elif tag == "option" and self.select:
            self.option = [attrs.get("value"), ""]
            self.choices[self.select].append(self.option)
        elif tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append([attrs.get("value") or "on", ""])
            elif kind not in NOT_TYPED and attrs.get("value"):
                self.fixed.append((name, attrs["value"]))

    def option_text(self, data: str):
        self.option[1] += data  # type: ignore[index]

    def urls(self, page_url: str) -> list[str]:
        action = urljoin(page_url, self.action)
        found = []
        for name, options in self.choices.items():
            values = [value if value is not None else text.strip() for value, text in options]
            values = [v for v in values if v]
            step = max(1, -(-len(values) // OPTIONS_PER_CHOICE))  # ceiling division
            for value in values[::step]:
                found.append(f"{action.split('?')[0]}?{urlencode([*self.fixed, (name, value)])}")
        return found


def english_in(text: str, vocabulary: set[str]) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    return [w for w in WORD.findall(text) if not w.isupper() and w.lower() in vocabulary]


def address(href: str, page_url: str, prefix: str) -> str | None:
    """A link's page on this site in the crawl's language, as one distinct address: blank
    parameters dropped (a filter form submits every field) and the rest in a fixed order;
    None for another site, another language, or what is not a page."""
    parts = urlsplit(urljoin(page_url, urldefrag(href)[0]))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith(prefix) or SKIPPED.search(parts.path):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if v)
    return parts.path + (f"?{urlencode(query)}" if query else "")


def crawl(client: Client, language: str, vocabulary: set[str]):
    """Visit, breadth-first from the home page, every page in `language` that a link or a
    GET form leads to (filters, facets, sorting, pagination, every record): each distinct
    address once, up to `MAX_PAGES`. Returns the pages read and the leaks found, as
    {"text [english words]": [page, ...]}."""
    prefix = f"/{language}/"
    queue = deque([prefix])
    seen = {prefix}
    leaks: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = PageText(language)
        parser.feed(response.content.decode())
        for lang, text in parser.texts:
            if lang == language and (words := english_in(text, vocabulary)):
                leaks.setdefault(f"{text[:120]!r} {words}", []).append(url)
        hrefs = parser.links + [link for form in parser.forms for link in form.urls(url)]
        for href in hrefs:
            if (page := address(href, url, prefix)) and page not in seen:
                seen.add(page)
                queue.append(page)
    return pages, leaks


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site, loaded once for a class's tests, in a transaction rolled back after them."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    files = tmp_path_factory.mktemp("crawl")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            MEDIA_ROOT=files / "media",
            DEMO_ACCOUNTS_FILE=files / "demo-accounts.txt",
        ),
        transaction.atomic(),
    ):
        call_command("demo", "--allow-real-data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


# The interface's words do not depend on the database (whether every page answers is tested
# on both by the page tests), so the crawl runs once, on SQLite, and keeps the suite fast.
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the interface-language crawl runs on SQLite",
)
class TestEveryPageTheCrawlReaches:
    """Both crawls read one demo site, loaded once. Measured on the demo data: 741 pages per
    language, about 145 s of CPU each (the filter panels' long country lists cost most)."""

    @pytest.mark.parametrize("language", ["ru", "kk"])
    def test_no_interface_text_in_english(self, demo_site, language):
        pages, leaks = crawl(Client(), language, english_words())
        assert pages > 600, f"the crawl reached only {pages} pages"
        report = "\n".join(
            f"{text} on {urls[0]} (+{len(urls) - 1})" for text, urls in leaks.items()
        )
        assert not leaks, f"{len(leaks)} English texts on {pages} {language} pages:\n{report}"


def test_kazakh_numbers_are_grouped_with_a_no_break_space():
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("kk"):
        assert intcomma(14000000) == "14\xa0000\xa0000"
    with translation.override("ru"):
        assert intcomma(14000000) == "14\xa0000\xa0000"


def test_kazakh_dates_name_the_month_in_kazakh():
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2024, 3, 17)
    with translation.override("kk"):
        assert formats.date_format(day) == "17 наурыз 2024 ж."
        assert formats.date_format(day, "j E Y") == "17 наурыз 2024"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "17.03.2024"


def test_about_page_shows_money_grouped_in_kazakh(demo_data, client):
    body = client.get("/kk/about/").content.decode()
    assert re.search(r"\d{1,3}(?:\xa0\d{3})+ USD", body)
    assert not re.search(r"\d{4,} USD", body)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_sign_up_page_gives_the_password_rules_in_the_readers_language(client, language):
    body = client.get(f"/{language}/accounts/signup/").content.decode()
    assert "Your password" not in body
    assert ("Құпия сөзде кемінде" if language == "kk" else "Ваш пароль") in body


@pytest.mark.parametrize(
    "language, names",
    [
        ("kk", ["Қазақ тілі", "Қырғыз тілі", "Беларусь тілі"]),
        ("ru", ["Казахский", "Киргизский", "Белоруский"]),
        ("en", ["Kazakh", "Kyrgyz", "Belarusian"]),
    ],
)
def test_a_persons_languages_are_named_in_the_readers_language(db, language, names):
    from django.utils import translation

    from civhub.directory.models import Person

    with translation.override(language):
        assert Person(name="A", languages=["kk", "ky", "be"]).language_names == names


@pytest.mark.parametrize(
    "text, active, expected",
    [
        ("Law of Georgia on Public Service", "ru", "en"),
        ("Закон о государственной службе", "kk", "kk"),  # no letter of its own: the page's
        ("Закон о государственной службе", "en", "ru"),
        ("Мемлекеттік қызмет туралы заң", "ru", "kk"),
        ("2024", "ru", ""),
    ],
)
def test_text_language_reads_the_script(text, active, expected):
    from civhub.core.templatetags.civhub import text_language

    assert text_language(text, active) == expected


def test_lang_attr_names_the_fallback_of_an_untranslated_field(db):
    from django.template import Context, Template
    from django.utils import translation

    from civhub.directory.models import Country

    country = Country(code="ZZ", name_en="Nowhere", name_ru="Нигде")
    template = Template('{% load civhub %}<p{% lang_attr c "name" %}>{{ c.name }}</p>')
    with translation.override("kk"):
        assert template.render(Context({"c": country})) == '<p lang="en">Nowhere</p>'
    with translation.override("ru"):
        assert template.render(Context({"c": country})) == "<p>Нигде</p>"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_capitalised_string_stays_capitalised(lang):
    """Labels are shown as translated ("SDG targets" heads a list): "задачи ЦУР" would
    read as a broken label, so a string that starts with a capital keeps it."""
    wrong = [
        (e.msgid, e.msgstr)
        for e in catalogue(lang).translated_entries()
        if e.msgstr
        and e.msgid[:1].isupper()
        and e.msgstr[:1].islower()
        and not e.msgstr[:1].isascii()  # a command-line word such as "stdout" stays as is
    ]
    assert not wrong, wrong


@pytest.mark.parametrize(
    "language, named, english",
    [
        ("ru", ["Казахский", "Киргизский", "Белоруский"], "Kazakh"),
        ("kk", ["Қазақ тілі", "Қырғыз тілі", "Беларусь тілі"], "Kazakh"),
    ],
)
def test_the_person_form_names_languages_in_the_readers_language(editor, language, named, english):
    """The same names as on people's pages; one left in English says so (`lang="en"`)."""
    body = editor.get(f"/{language}/people/add/").content.decode()
    options = re.findall(r'<option value="(\w+)"([^>]*)>([^<]*)</option>', body)
    names = {code: name for code, _attrs, name in options}
    assert [names["kk"], names["ky"], names["be"]] == named
    assert english not in names.values()
    untranslated = [(attrs, name) for _c, attrs, name in options if text_language(name) == "en"]
    assert all('lang="en"' in attrs for attrs, _name in untranslated), untranslated


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_sdg_targets_words_say_they_are_english(member, language):
    """The UN's target wording is kept in English only: on a Russian or Kazakh page it says
    so (`lang="en"`), under its goal's translated name."""
    page = member.get(f"/{language}/practices/submit/").content.decode()
    label = re.search(r"<label[^>]*>\s*<input[^>]*>\s*16\.6 (.*?)</label>", page, re.S)
    assert label, "no checkbox for target 16.6"
    assert label[1].startswith('<span lang="en">Develop effective, accountable'), label[1]
    goal = {"ru": "Мир, правосудие", "kk": "Бейбітшілік"}[language]
    assert re.search(rf"<summary>16\. [^<]*{goal}", page)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_practice_page_names_its_targets_goals_in_the_readers_language(
    demo_data, visitor, language
):
    page = visitor.get(f"/{language}/practices/demo-performance-appraisal-kazakhstan/")
    targets = re.search(r'<ul class="sdg-goals">(.*?)</ul>', page.content.decode(), re.S)
    assert targets, "no SDG targets under their goals"
    goal = {"ru": "Мир, правосудие", "kk": "Бейбітшілік"}[language]
    assert goal in targets[1]
    assert re.search(r'<abbr title="[^"]+" lang="en">16\.\w+</abbr>', targets[1])


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_query_in_another_language_says_so_in_the_heading(db, client, language):
    """The reader's own words inside an interface sentence ("Nothing found for …") carry
    their language when it is not the page's, as record content does."""
    body = client.get(f"/{language}/search/?q=civil+service").content.decode()
    marked = '<span lang="en">civil service</span>' in body
    assert marked == (language != "en"), body[body.find("<h2") : body.find("</h2>") + 5]
