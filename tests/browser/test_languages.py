"""The three languages in a real browser: the switcher from any page language to any other,
whatever the browser's language, with and without JavaScript; and no main page that scrolls
sideways on a 320 or 390 CSS pixel wide screen in any language."""

import re

import pytest
from playwright.sync_api import expect

# (page language, chosen language, browser language): the four, and the other two
# pairs, each read with a browser in a language that is neither the page's nor the chosen one
# where the issue does not say otherwise.
SWITCHES = [
    ("ru", "en", "en-GB"),
    ("kk", "en", "ru-RU"),
    ("ru", "kk", "kk-KZ"),
    ("kk", "ru", "en-GB"),
    ("en", "ru", "kk-KZ"),
    ("en", "kk", "ru-RU"),
]


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("page_language", "chosen", "locale"), SWITCHES)
def test_the_switcher_lands_on_the_same_page_in_the_chosen_language(
    new_page, db, page_language, chosen, locale, javascript
):
    page = new_page(locale=locale, java_script_enabled=javascript)
    page.goto(f"/{page_language}/practices/?q=civil")
    expect(page.locator("html")).to_have_attribute("lang", page_language)

    page.locator("select#language-select").select_option(chosen)
    page.locator("form:has(select#language-select)").get_by_role("button").click()

    expect(page).to_have_url(re.compile(rf"/{chosen}/practices/\?q=civil$"))
    expect(page.locator("html")).to_have_attribute("lang", chosen)
    expect(page.locator("select#language-select")).to_have_value(chosen)

    # The cookie now holds the choice: the site's root opens in it.
    page.goto("/")
    expect(page).to_have_url(re.compile(rf"/{chosen}/$"))


MAIN_PAGES = [
    "",
    "practices/",
    "laws/",
    "profiles/",
    "profiles/compare/?country=kz&country=ge",
    "transfers/",
    "countries/",
    "countries/kz/",
    "organizations/",
    "experts/",
    "governance/",
    "search/?q=civil+service",
    "awards/",
    "about/",
]

# How far the page reaches past the window, and the widest elements that do.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => el.closest('.table-scroll') !== null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => !scrolls(el) && el.getBoundingClientRect().right > width + 1)
    .map((el) => el.outerHTML.slice(0, 100));
  return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide};
}"""


def _record_pages() -> list[str]:
    """Every published practice, some laws and transfers, and a country profile: the record
    pages whose long words (Russian and Kazakh above all) pushed the page wide."""
    from django.urls import reverse

    from civhub.knowledge.models import KnowledgeTransfer, LegalAct, Practice

    paths = [p.get_absolute_url() for p in Practice.objects.filter(state="published")]
    paths += [a.get_absolute_url() for a in LegalAct.objects.all()[:5]]
    paths += [
        reverse("knowledge:transfer", args=[t.pk]) for t in KnowledgeTransfer.objects.all()[:3]
    ]
    paths += [reverse("knowledge:profile", args=["kz"])]
    return [re.sub(r"^/[a-z]{2}/", "", path) for path in paths]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_no_main_page_scrolls_sideways(new_page, demo_data_committed, language):
    page = new_page()
    paths = MAIN_PAGES + _record_pages()
    too_wide = []
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            url = f"/{language}/{path}"
            response = page.goto(url)
            assert response is not None and response.ok, f"{url}: HTTP {response.status}"
            found = page.evaluate(SIDEWAYS)
            if found["scrollWidth"] > found["width"] or found["wide"]:
                widest = " | ".join(found["wide"][:3])
                too_wide.append(f"{url} at {width} px: {found['scrollWidth']} px wide; {widest}")
    assert not too_wide, "pages that scroll sideways:\n" + "\n".join(too_wide)
