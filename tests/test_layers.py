"""The parts of the layers (docs/layers.md) that import-linter cannot see, read from the source:

- no module takes another app's private names (a name that starts with an underscore), whether
  it imports the name or reaches it through an imported module (`services._helper`);
- views and APIs never write models: no `.save()`, `.delete()`, `.create()`, queryset
  `.update(...)`, `bulk_create`, `bulk_update`, `get_or_create` or `update_or_create` in a
  `views.py`, `views/*.py` or `api.py`. The one write-shaped call they may make is a model
  form's `.save(commit=False)`, which writes nothing: it builds the unsaved record, and the same
  function must hand it to a service (a function of a `services` module), which saves it.

- a domain app reaches another domain app only through its public surface: its `models`,
  `choices`, `services` (module or package), `selectors` or `querysets`, and two registration
  points, `accounts.auth` (the API's authentication, which every router uses) and
  `search.registry` (how an app describes its searchable records). core is below them all and
  every module of it is shared (its underscore names are not).

Each rule is also run on a sample that breaks it, so a checker that found nothing would fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "civhub"
APPS = {"core", "accounts", "directory", "knowledge", "insights", "search", "awards", "events"}
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str | None:
    """The app a module belongs to (`civhub.knowledge.services.legal`: knowledge), or None for
    the project's own modules (urls, api, settings, the test plugin)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "civhub" and parts[1] in APPS:
        return parts[1]
    return None


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def source_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def resolve(node: ast.ImportFrom, path: str) -> str:
    """The absolute name of what `from ... import` reads from. civhub imports absolutely
    (ruff's isort keeps it so); a relative import would hide the app it reads from."""
    assert not node.level, f"{path}:{node.lineno}: relative import"
    return node.module or ""


def private_names_from_other_apps(source: str, module: str, path: str) -> list[Finding]:
    """Private names this module takes from a module of another app."""
    found: list[Finding] = []
    own = app_of(module)
    tree = ast.parse(source)
    # Local names bound to modules of other apps, whose private attributes are off limits.
    foreign_modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = app_of(alias.name)
                if target is None or target == own:
                    continue
                if alias.asname:
                    foreign_modules[alias.asname] = alias.name
                for part in alias.name.split(".")[1:]:
                    if is_private(part):
                        found.append(Finding(path, node.lineno, f"imports {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            origin = resolve(node, path)
            target = app_of(origin)
            if target is None or target == own:
                continue
            for alias in node.names:
                if is_private(alias.name) or any(is_private(p) for p in origin.split(".")):
                    found.append(Finding(path, node.lineno, f"imports {alias.name} from {origin}"))
                else:
                    # It may be a module (`from civhub.accounts import services`).
                    foreign_modules[alias.asname or alias.name] = f"{origin}.{alias.name}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and is_private(node.attr)
            and node.attr != "_meta"  # Django's documented Model._meta API
            and isinstance(node.value, ast.Name)
            and node.value.id in foreign_modules
        ):
            found.append(
                Finding(
                    path,
                    node.lineno,
                    f"reads {node.attr} of {foreign_modules[node.value.id]} ({node.value.id})",
                )
            )
    return sorted(found, key=lambda f: f.line)


DOMAIN_APPS = APPS - {"core"}
PUBLIC_MODULES = {"models", "choices", "services", "selectors", "querysets"}
PUBLIC_EXTRA = {"civhub.accounts.auth", "civhub.search.registry"}


def is_public_module(name: str) -> bool:
    """Whether `name` (a module, or a name in one) is on its app's public surface."""
    parts = name.split(".")
    return (len(parts) > 2 and parts[2] in PUBLIC_MODULES) or any(
        name == extra or name.startswith(extra + ".") for extra in PUBLIC_EXTRA
    )


def internals_of_other_apps(source: str, module: str, path: str) -> list[Finding]:
    """Imports of another domain app's modules off its public surface, by a domain app."""
    own = app_of(module)
    if own not in DOMAIN_APPS:
        return []
    found: list[Finding] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            origin = resolve(node, path)
            # `from civhub.accounts import services` names the module it imports.
            targets = (
                [f"{origin}.{alias.name}" for alias in node.names]
                if origin.count(".") == 1
                else [origin]
            )
        else:
            continue
        for target in targets:
            app = app_of(target)
            if app in DOMAIN_APPS and app != own and not is_public_module(target):
                found.append(Finding(path, node.lineno, f"imports {target}"))
    return sorted(found, key=lambda f: f.line)


def is_view_module(path: Path) -> bool:
    return path.name in {"views.py", "api.py"} or path.parent.name == "views"


def service_names(tree: ast.Module) -> set[str]:
    """Local names bound to services: modules named `services` (or inside a `services`
    package), and the functions imported from them."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            for alias in node.names:
                if "services" in parts or alias.name == "services":
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if "services" in alias.name.split(".") and alias.asname:
                    names.add(alias.asname)
    return names


def root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def is_commit_false(call: ast.Call) -> bool:
    return any(
        keyword.arg == "commit"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def model_writes(source: str, path: str) -> list[Finding]:
    """Writes of models in a view or API module."""
    tree = ast.parse(source)
    services = service_names(tree)
    found: list[Finding] = []

    def calls_a_service(function: ast.AST) -> bool:
        return any(
            isinstance(node, ast.Call) and root_name(node.func) in services
            for node in ast.walk(function)
        )

    def visit(node: ast.AST, function: ast.AST | None, dicts: frozenset[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node
            dicts = dict_names(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method == "save" and is_commit_false(node):
                if function is None or not calls_a_service(function):
                    found.append(
                        Finding(path, node.lineno, ".save(commit=False) not handed to a service")
                    )
            elif method in WRITES:
                found.append(Finding(path, node.lineno, f".{method}()"))
            elif (
                method == "update"
                and not is_dict(node.func.value, dicts)
                and (node.keywords or not isinstance(node.func.value, ast.Name))
            ):
                # QuerySet.update(field=value) takes keywords only; a dict's update (a
                # template context) is told by its name, bound to a dict in the function.
                found.append(Finding(path, node.lineno, ".update(...) of a queryset"))
        for child in ast.iter_child_nodes(node):
            visit(child, function, dicts)

    visit(tree, None, frozenset())
    return sorted(found, key=lambda f: f.line)


def dict_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Names the function binds to a dict: a dict display or comprehension, `dict(...)`, a
    view's `get_context_data(...)`, a name annotated as a dict, and a parameter `context` (in
    a view, the template context it fills)."""
    names: set[str] = set()
    for argument in [*function.args.args, *function.args.kwonlyargs]:
        annotation = argument.annotation
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        if argument.arg == "context" or (
            isinstance(annotation, ast.Name) and annotation.id == "dict"
        ):
            names.add(argument.arg)
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and is_dict_value(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            annotation = node.annotation
            if isinstance(annotation, ast.Subscript):
                annotation = annotation.value
            if isinstance(annotation, ast.Name) and annotation.id == "dict":
                names.add(node.target.id)
    return frozenset(names)


def is_dict_value(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.DictComp):
        return True
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Name) and value.func.id == "dict":
            return True
        if isinstance(value.func, ast.Attribute) and value.func.attr == "get_context_data":
            return True
    return False


def is_dict(receiver: ast.expr, dicts: frozenset[str]) -> bool:
    return isinstance(receiver, ast.Name) and receiver.id in dicts


def test_no_app_takes_another_apps_private_names():
    found = [
        finding
        for path in source_files()
        for finding in private_names_from_other_apps(
            path.read_text(), module_name(path), str(path.relative_to(SRC))
        )
    ]
    assert not found, "\n".join(map(str, found))


def test_apps_reach_each_other_only_through_their_public_surface():
    found = [
        finding
        for path in source_files()
        for finding in internals_of_other_apps(
            path.read_text(), module_name(path), str(path.relative_to(SRC))
        )
    ]
    assert not found, "\n".join(map(str, found))


INTERNALS_SAMPLE = """
from civhub.accounts.models import User
from civhub.accounts import services, views
from civhub.knowledge.services.practices import submit
from civhub.knowledge.views.practices import PracticeList
from civhub.search import registry, signals
from civhub.search.registry import SearchType
import civhub.directory.filters
from civhub.core.lists import FilteredListView
from civhub.awards.forms import SubmissionForm
"""


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (
            "civhub.awards.views.sample",
            [
                (3, "imports civhub.accounts.views"),
                (5, "imports civhub.knowledge.views.practices"),
                (6, "imports civhub.search.signals"),
                (8, "imports civhub.directory.filters"),
            ],
        ),
        # core is below the apps: it imports none (import-linter's first contract says so);
        # the project's modules (urls, api, the test plugin) are above them and may.
        ("civhub.urls", []),
    ],
)
def test_the_public_surface_check_catches_what_it_forbids(module, expected):
    found = internals_of_other_apps(INTERNALS_SAMPLE, module, "sample.py")
    assert [(f.line, f.what) for f in found] == expected


def test_views_and_apis_never_write_models():
    views = [path for path in source_files() if is_view_module(path)]
    assert len(views) >= 10  # every app's pages and API are read
    found = [
        finding
        for path in views
        for finding in model_writes(path.read_text(), str(path.relative_to(SRC)))
    ]
    assert not found, "\n".join(map(str, found))


PRIVATE_SAMPLE = """
from civhub.accounts.services import _sync_staff_flags, grant_role
from civhub.accounts import services
from civhub.directory.models import Country
import civhub.search.signals as search_signals
from civhub.knowledge import _private_module
from civhub.awards.services import _own_helper

services._end_tokens_after_role_change(None, None)
search_signals._paused
services.__name__
Country._meta
"""


def test_the_private_names_check_catches_what_it_forbids():
    found = private_names_from_other_apps(PRIVATE_SAMPLE, "civhub.awards.views.sample", "sample.py")
    assert [(f.line, f.what) for f in found] == [
        (2, "imports _sync_staff_flags from civhub.accounts.services"),
        (6, "imports _private_module from civhub.knowledge"),
        (9, "reads _end_tokens_after_role_change of civhub.accounts.services (services)"),
        (10, "reads _paused of civhub.search.signals (search_signals)"),
    ]


@pytest.mark.parametrize(
    "module",
    ["civhub.accounts.services", "civhub.accounts.tests.test_sample"],
)
def test_an_app_may_use_its_own_private_names(module):
    sample = "from civhub.accounts.services import _sync_staff_flags\n"
    found = private_names_from_other_apps(sample, module, "sample.py")
    assert found == []


WRITES_SAMPLE = """
from civhub.directory import services
from civhub.knowledge.services.practices import submit


def edit(request, form, practice):
    context = {}
    context.update({"a": 1}, b=2)
    options.update(x=1)
    services.update_country(request.user, form.save(commit=False))
    submit(request.user, form.save(commit=False))
    practice.save()
    Practice.objects.filter(pk=1).update(state="x")
    Practice.objects.create(title="t")
    practice.delete()
    Topic.objects.get_or_create(slug="s")
    Topic.objects.update_or_create(slug="s")
    Topic.objects.bulk_create([])


def sneaky(form):
    instance = form.save(commit=False)
    instance.save()


def fill(request, context, extra: dict[str, int], records):
    context.update(page=1)
    extra.update(more=2)
    records.update(state="x")
"""


def test_the_writes_check_catches_what_it_forbids():
    found = model_writes(WRITES_SAMPLE, "sample/views.py")
    assert [(f.line, f.what) for f in found] == [
        (9, ".update(...) of a queryset"),
        (12, ".save()"),
        (13, ".update(...) of a queryset"),
        (14, ".create()"),
        (15, ".delete()"),
        (16, ".get_or_create()"),
        (17, ".update_or_create()"),
        (18, ".bulk_create()"),
        (22, ".save(commit=False) not handed to a service"),
        (23, ".save()"),
        (29, ".update(...) of a queryset"),
    ]


def test_view_modules_are_found():
    names = {str(path.relative_to(PACKAGE)) for path in source_files() if is_view_module(path)}
    assert {"core/views.py", "knowledge/views/practices.py", "awards/api.py", "api.py"} <= names
