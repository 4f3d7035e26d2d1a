"""The layers hold: the project package wires, the core knows no app and nothing of the
project package, and the apps import downwards only (DESIGN.md, "Shape")."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("association", "volunteers", "events", "talents", "returns")
# Which top-level packages each may import, besides Django and the libraries.
ALLOWED = {
    "association": {"association"},
    "volunteers": {"association", "volunteers"},
    "events": {"association", "volunteers", "events"},
    "talents": {"association", "volunteers", "talents"},
    "returns": {"association", "returns"},
}
OURS = {*APPS, "config"}
APP_ADDRESS = re.compile(r"^/(events|volunteers|talents)/|^(events|volunteers|talents|me):")


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _imported(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("app", APPS)
def test_each_app_imports_only_the_layers_below_it(app):
    wrong = {str(path.relative_to(ROOT)): sorted(_imported(tree) - ALLOWED[app]) for path, tree in _modules(app)}
    assert {path: names for path, names in wrong.items() if names} == {}


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_the_core_names_no_app_address():
    """The apps bring their addresses through the core's registries (navigation, cached
    pages, private links), so none is written in the core."""
    found = []
    for path, tree in _modules("association"):
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                    and APP_ADDRESS.search(node.value)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    templates = [p for p in (ROOT / "templates").rglob("*.html")
                 if p.parts[len(ROOT.parts) + 1] not in ("events", "volunteers", "talents")]
    for path in templates:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""href="/(events|volunteers|talents)/|\{% url ['"](events|volunteers|talents|me):""", line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_the_navigation_and_the_caches_are_filled_by_every_app(client, db):
    from association import extensions
    from association.pagecache import cached_paths

    assert [link.key for link in extensions.links("nav")] == ["home", "news", "events", "volunteers", "talents", "about"]
    assert {"/", "/news/", "/events/", "/volunteers/teams/", "/talents/experts/"} <= cached_paths()
    html = client.get("/events/").content.decode()
    assert 'class="nav-link active" href="/events/" aria-current="page">活动</a>' in html
    assert 'href="/volunteers/register/"' in html  # the invitation beside 登录


def test_every_scheduled_task_is_declared_once_and_written_after_migrate(db):
    from django_celery_beat.models import PeriodicTask

    from association import extensions

    declared = {entry.name: entry.task for entry in extensions.periodic_tasks()}
    assert "活动：每日将已结束的活动标记为“已结束”" in declared
    stored = dict(PeriodicTask.objects.filter(name__in=declared).values_list("name", "task"))
    assert stored == declared
    assert all(PeriodicTask.objects.get(name=name).description for name in declared)


def _services_modules(app: str):
    for path, tree in _modules(app):
        if "services" in path.parts or path.stem == "services":
            yield path, tree


def _imports_tasks(tree) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or "", *(alias.name for alias in node.names)]
        else:
            continue
        if any(name.split(".")[-1] == "tasks" for name in names):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("app", APPS)
def test_services_never_import_tasks(app):
    """Tasks call services; a service asks for a task by its name (``queue.enqueue("app.tasks.name", id)``),
    so the two never import each other in a circle."""
    found = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _services_modules(app) for line in _imports_tasks(tree)]
    assert found == []


def test_every_task_enqueued_by_name_exists():
    from config.celery import app

    app.loader.import_default_modules()
    named = set()
    for package in APPS:
        for _path, tree in _modules(package):
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "enqueue"
                        and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    named.add(node.args[0].value)
    assert "events.tasks.send_registration_notice" in named
    assert named - set(app.tasks) == set()


STATUS_LITERAL = re.compile(r"""status\w*\s*(==|!=|in)\s*["']|["']\s*(==|!=)\s*[\w.]*status""")


def _templates(app: str):
    others = [a for a in APPS if a != "association"]
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        parts = path.relative_to(ROOT / "templates").parts
        owner = parts[1] if parts[0] == "admin" and len(parts) > 2 else parts[0]
        if (owner if owner in others else "association") == app:
            yield path


@pytest.mark.parametrize("app", APPS)
def test_templates_compare_statuses_with_the_models_own_words(app):
    """``{% if x.status == x.Status.CONFIRMED %}`` or a model property, never ``== "confirmed"``:
    a renamed status cannot leave a page silently showing the wrong thing."""
    found = [f"{path.relative_to(ROOT)}:{number}" for path in _templates(app)
             for number, line in enumerate(path.read_text().splitlines(), 1) if STATUS_LITERAL.search(line)]
    assert found == []
