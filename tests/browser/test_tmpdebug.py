import pytest
from tests.browser.test_accessibility import OVERFLOWING

@pytest.mark.browser
def test_debug(new_page, demo_data):
    for w in (800, 320):
        page = new_page(viewport={"width": w, "height": 500})
        for lang in ("en", "ru", "kk"):
            for p in ("countries/", "experts/", "organizations/"):
                page.goto(f"/{lang}/{p}")
                print(w, lang, p, page.evaluate(OVERFLOWING)[:2])
        print("STATUS", page.goto("/ru/experts/").status)
        page.screenshot(path=f"/tmp/filters-{w}.png", full_page=True)
