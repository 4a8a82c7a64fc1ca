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
from urllib.parse import parse_qs, urldefrag, urlsplit

import polib
import pycountry
import pytest
from django.test import Client

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
    """Collects (language, text) of every text node and spoken attribute, and the links."""

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang of the element)
        self.page_language = page_language
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []
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
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for closed, _lang in self.stack[i:]:
                    if closed in UNSEEN:
                        self.unseen -= 1
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.unseen and data.strip():
            self.texts.append((self.language(), data.strip()))


def english_in(text: str, vocabulary: set[str]) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    return [w for w in WORD.findall(text) if not w.isupper() and w.lower() in vocabulary]


def crawl(client: Client, language: str, vocabulary: set[str]):
    """Visit every page reachable from the home page in `language`; return the pages seen
    and the leaks found, as {(text, english words): [first page, ...]}."""
    prefix = f"/{language}/"
    queue = deque([prefix])
    seen = {prefix}
    leaks: dict[str, list[str]] = {}
    pages = 0
    while queue:
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
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith(prefix):
                continue
            # Filters and sorting reach the same templates; a list's later pages reach
            # more records, so only `page` is kept of a query string.
            query = parse_qs(parts.query)
            path = parts.path + (f"?page={query['page'][0]}" if "page" in query else "")
            if path not in seen and not SKIPPED.search(path):
                seen.add(path)
                queue.append(path)
    return pages, leaks


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_interface_text_in_english(demo_data, language):
    pages, leaks = crawl(Client(), language, english_words())
    assert pages > 100, f"the crawl reached only {pages} pages"  # 147 on the demo data
    report = "\n".join(f"{text} on {urls[0]} (+{len(urls) - 1})" for text, urls in leaks.items())
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
