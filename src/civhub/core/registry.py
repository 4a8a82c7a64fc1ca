"""What the domain apps contribute to core's shared pages and commands, registered by each app
in its `AppConfig.ready()`: core knows no domain app (docs/layers.md), it reads this registry.

- figures: the counts of the home page's "The hub today", each with the list it links to;
- sections: blocks of a shared page ("home", "about"), each an app's template and the
  context it reads;
- demo steps: the loaders of `civhub demo`, in an explicit order, with what each needs first;
- demo guards and summaries: what says a database holds data the demo did not make, and what
  `--if-empty` prints about a database the demo already filled;
- demo wrappers: context managers the whole load runs inside (search indexes once, at the end);
- health checks: parts of `/healthz` beyond the database, cache and worker.

Within a kind, entries are ordered by their `order` (then by name), never by the order in
which Django happens to load the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.functional import Promise


class Log(Protocol):
    def __call__(self, line: str) -> None: ...


@dataclass(frozen=True)
class Figure:
    """A count on the home page: `label` (a lazy translation) and `value()`, linked to `url()`."""

    name: str
    label: str | Promise
    value: Callable[[], int]
    url: Callable[[], str]
    order: int = 100


@dataclass(frozen=True)
class Section:
    """A block of a shared page: `template` is rendered in the page's context, to which
    `context(request)` adds the names the template reads."""

    page: str
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    """A loader of `civhub demo`: `load(log=...)` makes its records, and may use what the
    steps named in `after` made. `label` is printed as the step runs."""

    name: str
    label: str
    load: Callable[..., None]
    order: int
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthCheck:
    """A part of `/healthz`: `check()` gives a dict with at least `ok`."""

    name: str
    check: Callable[[], dict[str, Any]]
    order: int = 100


@dataclass
class Registry:
    figures: dict[str, Figure] = field(default_factory=dict)
    sections: dict[tuple[str, str], Section] = field(default_factory=dict)
    demo_steps: dict[str, DemoStep] = field(default_factory=dict)
    #: () -> reasons why this database holds data the demo did not make
    demo_guards: list[Callable[[], list[str]]] = field(default_factory=list)
    #: () -> whether the demo's records are already there (`civhub demo --if-empty`)
    demo_present: list[Callable[[], bool]] = field(default_factory=list)
    #: (log) -> None: what `--if-empty` prints about a database the demo filled
    demo_summaries: list[Callable[[Log], None]] = field(default_factory=list)
    demo_wrappers: list[Callable[[], AbstractContextManager[object]]] = field(default_factory=list)
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)


registry = Registry()


def _add(entries: dict[Any, Any], key: object, entry: object) -> None:
    # A name is registered once; `ready()` run again (a test that reloads the apps) replaces
    # an entry by its equal.
    entries[key] = entry


def _unique(callbacks: list[Any], callback: object) -> None:
    if callback not in callbacks:
        callbacks.append(callback)


def register_figure(figure: Figure) -> None:
    _add(registry.figures, figure.name, figure)


def register_section(section: Section) -> None:
    _add(registry.sections, (section.page, section.name), section)


def register_demo_step(step: DemoStep) -> None:
    _add(registry.demo_steps, step.name, step)


def register_demo_guard(guard: Callable[[], list[str]]) -> None:
    _unique(registry.demo_guards, guard)


def register_demo_present(present: Callable[[], bool]) -> None:
    _unique(registry.demo_present, present)


def register_demo_summary(summary: Callable[[Log], None]) -> None:
    _unique(registry.demo_summaries, summary)


def register_demo_wrapper(wrapper: Callable[[], AbstractContextManager[object]]) -> None:
    _unique(registry.demo_wrappers, wrapper)


def register_health_check(check: HealthCheck) -> None:
    _add(registry.health_checks, check.name, check)


def figures() -> list[Figure]:
    return sorted(registry.figures.values(), key=lambda f: (f.order, f.name))


def sections(page: str) -> list[Section]:
    found = [s for s in registry.sections.values() if s.page == page]
    return sorted(found, key=lambda s: (s.order, s.name))


def health_checks() -> list[HealthCheck]:
    return sorted(registry.health_checks.values(), key=lambda c: (c.order, c.name))


def demo_steps() -> list[DemoStep]:
    """The demo's steps by `order`; a step that names one it needs which is missing or comes
    later is a mistake in the registration, and says so."""
    return ordered_steps(registry.demo_steps.values())


def ordered_steps(steps: Iterable[DemoStep]) -> list[DemoStep]:
    ordered = sorted(steps, key=lambda s: (s.order, s.name))
    seen: set[str] = set()
    names = {step.name for step in ordered}
    for step in ordered:
        for needed in step.after:
            if needed not in names:
                raise ImproperlyConfigured(
                    f"The demo step {step.name!r} needs {needed!r}, which is not registered."
                )
            if needed not in seen:
                raise ImproperlyConfigured(
                    f"The demo step {step.name!r} needs {needed!r}, which comes after it: "
                    "give it a lower order."
                )
        seen.add(step.name)
    return ordered
