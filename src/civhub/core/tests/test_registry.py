"""What the apps register with core (core/registry.py): the home and about pages' parts, the
demo's steps in their order, and the health checks; and the home page they make."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from civhub.core import registry
from civhub.core.registry import DemoStep


def _noop(log: object = None) -> None:
    return None


def test_the_demo_steps_come_in_their_registered_order():
    assert [(step.name, step.label) for step in registry.demo_steps()] == [
        ("directory", "directory"),
        ("contributions", "contributions"),
        ("accounts", "accounts"),
        ("legal", "laws and knowledge transfers"),
        ("profiles", "country profiles"),
        ("practices", "good practices"),
        ("awards", "innovative solutions scheme"),
        ("events", "events"),
    ]


def test_a_step_that_needs_a_later_one_is_refused():
    steps = [
        DemoStep("b", "b", _noop, 10, after=("a",)),
        DemoStep("a", "a", _noop, 20),
    ]
    with pytest.raises(ImproperlyConfigured, match="'b' needs 'a', which comes after it"):
        registry.ordered_steps(steps)


def test_a_step_that_needs_a_missing_one_is_refused():
    with pytest.raises(ImproperlyConfigured, match="needs 'z', which is not registered"):
        registry.ordered_steps([DemoStep("b", "b", _noop, 10, after=("z",))])


def test_steps_are_ordered_by_order_not_by_registration():
    steps = [DemoStep("late", "late", _noop, 90), DemoStep("early", "early", _noop, 5)]
    assert [step.name for step in registry.ordered_steps(steps)] == ["early", "late"]


def test_the_shared_pages_parts_and_health_checks():
    assert [figure.name for figure in registry.figures()] == [
        "members",
        "partners",
        "practices",
        "experts",
    ]
    assert [section.name for section in registry.sections("home")] == [
        "latest-practices",
        "latest-members",
        "partners",
    ]
    assert [section.name for section in registry.sections("about")] == ["growth", "funding"]
    assert [check.name for check in registry.health_checks()] == ["search"]


@pytest.mark.django_db
def test_home_page_figures_in_order_with_a_fixed_number_of_queries(
    demo_data, client, django_assert_num_queries
):
    client.get("/en/")  # the first request of a process reads what later ones keep
    # member count, partner count, practice count, expert count, and the three lists
    with django_assert_num_queries(7):
        page = client.get("/en/").content.decode()
    figures = page[page.index('<dl class="figures">') : page.index("</dl>")]
    assert re.findall(r'<dt>([^<]+)</dt><dd><a href="([^"]+)">\d+</a>', figures) == [
        ("Member countries", "/en/countries/?status=participating"),
        ("Partner organizations", "/en/organizations/?is_partner=true"),
        ("Good practices", "/en/practices/"),
        ("Experts on the roster", "/en/experts/"),
    ]
    for heading in ("practices-heading", "latest-heading", "partners-heading"):
        assert f'<section aria-labelledby="{heading}">' in page


@pytest.mark.django_db
def test_home_page_figures_are_translated(client):
    page = client.get("/ru/").content.decode()
    figures = page[page.index('<dl class="figures">') : page.index("</dl>")]
    assert "Member countries" not in figures and "<dt>" in figures
