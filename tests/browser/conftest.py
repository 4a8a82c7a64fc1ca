"""Real-browser fixtures: one headless Chromium per session, a fresh context per test.

The browser is Debian's Chromium (or the binary named by CIVHUB_CHROMIUM), driven through
Playwright's sync API; Playwright never downloads a browser of its own here. Where no
Chromium is installed, every browser test is skipped with the reason.
"""

import os
import shutil

import pytest

# The machine has no network: without these flags Chromium waits on connections it cannot make.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def chromium_executable() -> str | None:
    path = os.environ.get("CIVHUB_CHROMIUM") or shutil.which("chromium")
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    if executable is None:
        named = os.environ.get("CIVHUB_CHROMIUM")
        pytest.skip(
            f"No Chromium binary (CIVHUB_CHROMIUM={named!r} is not an executable file)"
            if named
            else "No Chromium binary: install Debian's chromium (apt-get install chromium) "
            "or name one in CIVHUB_CHROMIUM to run the browser tests."
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _browser_test_settings(settings):
    """Serve the stylesheet from the source tree and keep password hashing cheap.

    The manifest storage would serve whatever `collectstatic` last copied to var/static
    (or fail where it never ran); the tests must see the current site.css.
    """
    from django.core.cache import cache

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # rate limits and used TOTP codes from earlier tests
    yield
    cache.clear()


@pytest.fixture
def new_page(browser, live_server):
    """Make a page in a fresh browser context (own cookies) on the live server.

    Keyword arguments go to `browser.new_context`, e.g. `java_script_enabled=False`.
    """
    contexts = []

    def make(**context_args):
        context_args.setdefault("base_url", live_server.url)
        context_args.setdefault("locale", "en-GB")
        context = browser.new_context(**context_args)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def describe_violations(violations: list[dict]) -> str:
    """axe's violations as a reader wants them: rule, impact, what to do, and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(str(part) for part in node['target'])}")
            for line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {line}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    sync_axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
    )
    return sync_axe.Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (all rules but the experimental ones) on the page; fail on any violation.

    axe is put in the page through the DevTools protocol, which the site's
    Content-Security-Policy does not govern, so the CSP stays on while it runs.
    """

    def check(page, where: str = "") -> None:
        violations = axe.run(page).response["violations"]
        where = where or page.url
        assert not violations, (
            f"axe found {len(violations)} violation(s) on {where}:\n"
            + describe_violations(violations)
        )

    return check
