"""The navigation and the list pages' filters fold into <details> (opened on narrow screens
by a tap, always shown where there is room: site.css); these check the markup they rely on."""

import re

import pytest

pytestmark = pytest.mark.django_db

LISTS = ["practices/", "laws/", "countries/", "organizations/", "experts/", "transfers/"]


def filter_panel(page: str) -> str:
    match = re.search(r'<details class="filter-panel"[^>]*>\s*<summary>(.*?)</summary>', page, re.S)
    assert match, "no folding filter panel"
    return match.group(0)


def test_both_navigations_are_inside_the_folding_menu(member):
    page = member.get("/en/").content.decode()
    menu = re.search(r'<details class="site-menu[^"]*">(.*?)</details>', page, re.S)
    assert menu, "no folding menu"
    assert not re.search(r"<details[^>]*site-menu[^>]*\bopen\b", page)
    assert "<summary>Menu</summary>" in menu.group(1)
    assert 'aria-label="Main"' in menu.group(1) and 'aria-label="Your account"' in menu.group(1)
    assert "/en/practices/" in menu.group(1) and "/accounts/logout/" in menu.group(1)


@pytest.mark.parametrize("path", LISTS)
def test_every_list_folds_its_filters(visitor, path):
    response = visitor.get(f"/en/{path}")
    assert response.status_code == 200
    panel = filter_panel(response.content.decode())
    assert " open" not in panel.split(">")[0]
    assert "in use" not in panel


def test_the_folded_panel_says_how_many_filters_are_in_use(visitor, kazakhstan):
    # What the form sends when only the country and words were chosen: the empty fields and
    # the sort order (always sent) narrow nothing; the page number is no filter.
    query = {"country": "KZ", "q": "portal", "region": "", "sort": "newest", "page": "1"}
    panel = filter_panel(visitor.get("/en/practices/", query).content.decode())
    assert "(in use: 2)" in panel
    assert " open" not in panel.split(">")[0]
    panel = filter_panel(visitor.get("/en/practices/", {"sort": "title"}).content.decode())
    assert "(in use: 1)" in panel


def test_a_filter_error_opens_the_panel(visitor):
    response = visitor.get("/en/practices/", {"country": "XX"})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<details class="filter-panel" open>', page)
    assert 'class="error"' in page


def test_the_panel_in_russian_and_kazakh(visitor):
    ru = filter_panel(visitor.get("/ru/practices/", {"q": "портал"}).content.decode())
    kk = filter_panel(visitor.get("/kk/practices/", {"q": "портал"}).content.decode())
    assert "Фильтры" in ru and "применено: 1" in ru
    assert "Сүзгілер" in kk and "қолданылғаны: 1" in kk
