"""axe-core on the public pages, in every interface language, with the demo data loaded."""

import pytest
from axe_playwright_python.sync_playwright import Axe

LANGUAGES = ["en", "ru", "kk"]
PAGES = {
    "home": "",
    "countries": "countries/",
    "country": "countries/kz/",
    "governance": "governance/",
    "organizations": "organizations/",
    "experts": "experts/",
    "about": "about/",
    "login": "accounts/login/",
}

AXE = Axe()


def describe(violations: list[dict]) -> str:
    """The violations as a reader wants them: rule, impact, where, and how to fix."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_has_no_axe_violations(new_page, demo_data, language, path):
    page = new_page(bypass_csp=True)  # axe is injected as a script, which the CSP forbids
    url = f"/{language}/{path}"
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language

    violations = AXE.run(page).response["violations"]

    assert not violations, f"axe found {len(violations)} violation(s) on {url}:\n" + describe(
        violations
    )
