"""Extension points through which the other apps plug into the core.

``association`` sits at the bottom of the layers and imports none of the apps. Each app
registers what it contributes from its ``AppConfig.ready()``:

- ``demo_loader(order)``: a function ``load(stdout)`` that ``manage.py load_demo`` runs
  (idempotent: running it twice changes nothing);
- ``data_generator(order)``: a function ``generate(scale, stdout)`` that
  ``manage.py generate_data --scale {small,medium,large}`` runs (deterministic);
- ``home_block(order, template)``: a function ``context(request) -> dict`` whose result is
  rendered with ``template`` on the home page;
- ``role_permissions(group_name, [app_label.codename or app_label.*, ...])``: what a staff
  group may do, applied after every migrate;
- ``headline_figure(order)``: a function ``figures() -> [(label, value, unit), ...]`` of
  public figures at a glance (home page block, leaders' dashboard). Aggregate in the
  database; the caller caches the result for a few minutes.
- ``retention_rule(order)``: a function ``apply(now) -> {label: count}`` that deletes or
  anonymises what the privacy notices say is no longer kept, run daily by
  ``association.retention`` (each rule in its own transaction; counts only, never
  personal data, in what it returns).
- ``account_link(order)``: a function ``links(user) -> [(label, url), ...]`` of the
  places a logged-in user may go, shown in the top bar of every public page (the
  volunteer's own page, the reviewer's tasks, the leaders' dashboard). Keep it cheap:
  it runs on every page a logged-in user opens.

Report sections are registered through ``association.reporting``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

SCALES = ("small", "medium", "large")


@dataclass(order=True)
class _Entry:
    order: int
    name: str
    func: Callable = field(compare=False)
    template: str = field(default="", compare=False)


_demo_loaders: list[_Entry] = []
_data_generators: list[_Entry] = []
_home_blocks: list[_Entry] = []
_headline_figures: list[_Entry] = []
_retention_rules: list[_Entry] = []
_account_links: list[_Entry] = []
_role_permissions: dict[str, list[str]] = {}


def _register(registry, order, template=""):
    def decorator(func):
        name = f"{func.__module__}.{func.__qualname__}"
        if not any(e.name == name for e in registry):
            registry.append(_Entry(order, name, func, template))
            registry.sort()
        return func

    return decorator


def demo_loader(order: int):
    return _register(_demo_loaders, order)


def data_generator(order: int):
    return _register(_data_generators, order)


def home_block(order: int, template: str):
    return _register(_home_blocks, order, template)


def headline_figure(order: int):
    return _register(_headline_figures, order)


def retention_rule(order: int):
    return _register(_retention_rules, order)


def account_link(order: int):
    return _register(_account_links, order)


def role_permissions(group_name: str, permissions: list[str]) -> None:
    current = _role_permissions.setdefault(group_name, [])
    current.extend(p for p in permissions if p not in current)


def demo_loaders():
    return list(_demo_loaders)


def data_generators():
    return list(_data_generators)


def home_blocks():
    return list(_home_blocks)


def headline_figures():
    return list(_headline_figures)


def account_links():
    return list(_account_links)


def all_role_permissions() -> dict[str, list[str]]:
    return {k: list(v) for k, v in _role_permissions.items()}


def retention_rules():
    return list(_retention_rules)
