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
- ``me_section(order, template)``: a function ``context(request, volunteer) -> dict``
  whose result is rendered with ``template`` on the volunteer's own page (the sign-ups an
  app keeps for them). Keep it to a few queries: it runs on every visit of that page.
- ``link(place, order=, key=, label=, url=, icon=, prefixes=)``: an entry the core's pages
  show for an app: ``"nav"`` the main navigation (``prefixes``: the addresses under which
  it is the current item), ``"quick"`` the home page's 便民服务, ``"join"`` the invitation
  visitors see beside 登录 and under the log-in form. ``url`` is a URL name or an address.
- ``cached_page(url)``: a public page (URL name or address) the anonymous page cache
  may serve (``association.pagecache``); the name of a page with arguments
  (``"events:detail"``) covers all of them, and its model forgets its copies as it changes
  (``pagecache.forget_on_commit``).
- ``fragment_topic(topic, *models)``: models (``"app.Model"``) whose rows parts of pages
  kept rendered show (``association.fragments``): every save or delete of one (and every
  change of its many-to-many fields) gives ``topic`` a new version; the templates name the
  topic (``fragments.events``).
- ``replica_read(page)``: a page (URL name, or an address such as an API list's) whose GET
  may read from the streaming replica when one is configured: it tolerates a few seconds' delay, shows no counter a
  person acts on and no form's result (``association.dbrouting``).
- ``private_link(pattern)``: a regular expression whose first group is the part of an
  address to keep and after which a private token follows (a sign-up's link, an order's):
  every log writes that token as ``***`` (``association.logfilters``).
- ``periodic_task(name, task=, every= | crontab=, description=)``: work beat runs on a
  schedule; ``name`` is what staff read under 周期性任务. Written to django-celery-beat's
  tables after every migrate (``association.schedule``).

- ``unit_figure(order, label=, unit=)``: a function ``rows(params) -> queryset`` of an
  owned model (``association.scoping``), the rows that count for the year: a unit's
  dashboard shows their number for its subtree, and for each unit below it.

- ``statistic_rule(key, label=)``: a function ``count(unit_ids, year)`` that counts one item
  of the statistics return (综合统计年报) from the records of those units; the catalogue
  of the return names the rule by its key.

- ``personal_data(order, label)``: a function ``rows(volunteer) -> [{column: value}, ...]``
  of what an app keeps about one volunteer (their event sign-ups…), added as a section
  ``label`` of the download of their own data (个人信息副本). Plain values, decrypted for
  that person only.
- ``account_erasure(order)``: a function ``erase(volunteer, request)`` run inside the
  transaction that closes a volunteer's account (注销): it deletes or anonymises what the
  app keeps about them and no rule requires it to keep.
- ``notice_kind(key, label=, essential=, subject=, body=, sms=, sms_params=)``: a notice an
  app sends through ``association.notices.notify`` (key ``app.name``), with its default
  Chinese templates in Django template syntax: ``subject`` and ``body`` for the e-mail and
  the in-site inbox, ``sms`` for the text message (empty: not sent by SMS). Staff override
  them per kind (通知模板); a person may turn off a kind that is not ``essential``.
  ``sms_params(context) -> dict`` gives the provider's template parameters (Aliyun).
  ``attachments(delivery) -> [(filename, bytes, mimetype), …]`` adds files to the e-mail
  when the worker sends it (read then, from what the delivery's key names).

- ``workbench_item(order, label=, permission=, url=, query=)``: a function ``count(user) -> int``
  of what waits for a staff member (volunteers to approve, orders to dispatch…), one
  COUNT scoped with ``association.scoping.scope``; the admin index lists it, with a link,
  to those holding ``permission`` (``association.workbench``, cached per person for 30 s).

- ``api_router(order, prefix, router)``: a ``ninja.Router`` (dotted path) the open API
  serves under ``/api/v1/<prefix>`` (``association.api``).
- ``open_dataset(order, key=, label=, description=, columns=, yearly=)``: a function
  ``rows(year) -> [dict, …]`` published as CSV and JSON under ``/open-data/`` (public
  records only: nothing personal, nothing unpublished).

Report sections are registered through ``association.reporting``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

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
_me_sections: list[_Entry] = []
_personal_data: list[_Entry] = []
_account_erasures: list[_Entry] = []
_role_permissions: dict[str, list[str]] = {}
_links: dict[str, list["Link"]] = {}
_cached_pages: list[str] = []
_fragment_topics: dict[str, list[str]] = {}
_private_links: list[re.Pattern] = []
_replica_read_pages: list[str] = []
_periodic_tasks: dict[str, "PeriodicTask"] = {}


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


def me_section(order: int, template: str):
    return _register(_me_sections, order, template)


def personal_data(order: int, label) -> Callable:
    return _register(_personal_data, order, label)


def account_erasure(order: int) -> Callable:
    return _register(_account_erasures, order)


def personal_data_sections():
    """(label, rows function) of every app, in order; ``template`` holds the label."""
    return list(_personal_data)


def account_erasures():
    return list(_account_erasures)


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


def me_sections():
    return list(_me_sections)


def all_role_permissions() -> dict[str, list[str]]:
    return {k: list(v) for k, v in _role_permissions.items()}


def retention_rules():
    return list(_retention_rules)


# -- what the core's pages, cache, logs and schedule take from the apps ----------------------

LINK_PLACES = ("nav", "quick", "join")


@dataclass(frozen=True, order=True)
class Link:
    order: int
    key: str
    label: str = field(compare=False)
    url: str = field(compare=False)
    icon: str = field(default="", compare=False)
    prefixes: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def href(self) -> str:
        # Resolved once per process: the addresses do not change while it runs.
        from django.urls import reverse

        return self.url if self.url.startswith("/") else reverse(self.url)


def link(place: str, *, order: int, key: str, label, url: str, icon: str = "", prefixes: tuple[str, ...] = ()) -> None:
    if place not in LINK_PLACES:
        raise ValueError(f"unknown place {place!r}; one of {LINK_PLACES}")
    entries = _links.setdefault(place, [])
    if not any(e.key == key for e in entries):
        entries.append(Link(order, key, label, url, icon, tuple(prefixes)))
        entries.sort()


def links(place: str) -> list[Link]:
    return list(_links.get(place, []))


def cached_page(url: str) -> None:
    if url not in _cached_pages:
        _cached_pages.append(url)


def cached_pages() -> list[str]:
    return list(_cached_pages)


def fragment_topic(topic: str, *models: str) -> None:
    entries = _fragment_topics.setdefault(topic, [])
    entries.extend(label for label in models if label not in entries)


def fragment_topics() -> list[str]:
    return sorted(_fragment_topics)


def fragment_topic_models() -> list[tuple[str, str]]:
    """(topic, "app.Model") of every model watched."""
    return [(topic, label) for topic in sorted(_fragment_topics) for label in _fragment_topics[topic]]


def replica_read(page: str) -> None:
    if page not in _replica_read_pages:
        _replica_read_pages.append(page)


def replica_read_pages() -> list[str]:
    return list(_replica_read_pages)


def private_link(pattern: str) -> None:
    if not any(p.pattern == pattern for p in _private_links):
        _private_links.append(re.compile(pattern))


def private_links() -> list[re.Pattern]:
    return list(_private_links)


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task: str
    every: float | None = None  # seconds
    crontab: dict | None = None  # minute=, hour=, day_of_month= …, in TIME_ZONE
    description: str = ""


def periodic_task(name: str, *, task: str, every: float | None = None, crontab: dict | None = None,
                  description: str = "") -> None:
    if (every is None) == (crontab is None):
        raise ValueError(f"{name}: give either every= or crontab=")
    _periodic_tasks[name] = PeriodicTask(name, task, every, dict(crontab) if crontab else None, description)


def periodic_tasks() -> list[PeriodicTask]:
    return list(_periodic_tasks.values())


@dataclass(frozen=True)
class UnitFigure:
    order: int
    key: str
    label: str
    unit: str
    rows: Callable


_unit_figures: dict[str, UnitFigure] = {}


def unit_figure(order: int, *, label, unit):
    def decorator(func):
        key = f"{func.__module__}.{func.__qualname__}"
        _unit_figures[key] = UnitFigure(order, key, label, unit, func)
        return func

    return decorator


def unit_figures() -> list[UnitFigure]:
    return sorted(_unit_figures.values(), key=lambda f: (f.order, f.key))


@dataclass(frozen=True)
class StatisticRule:
    """How one item of the statistics return (综合统计年报) is counted from the records:
    ``count(unit_ids, year)`` over the records owned by ``unit_ids`` (None: every record)."""

    key: str
    label: str
    count: Callable


_statistic_rules: dict[str, StatisticRule] = {}


def statistic_rule(key: str, *, label):
    """Register a counting rule for the statistics return under ``key`` (``app.name``); the
    catalogue's computed items name it. Count in the database, with the owners through
    ``association.scoping.within(queryset, unit_ids)``."""

    def decorator(func):
        _statistic_rules[key] = StatisticRule(key, str(label), func)
        return func

    return decorator


def statistic_rules() -> dict[str, StatisticRule]:
    return dict(_statistic_rules)


@dataclass(frozen=True)
class NoticeKind:
    """A notice an app sends (``association.notices``): default templates and whether a
    person may turn it off."""

    key: str
    label: str
    subject: str
    body: str
    sms: str = ""
    essential: bool = False
    sms_params: Callable | None = None
    attachments: Callable | None = None


_notice_kinds: dict[str, NoticeKind] = {}


def notice_kind(key: str, *, label, subject: str, body: str, sms: str = "", essential: bool = False,
                sms_params: Callable | None = None, attachments: Callable | None = None) -> NoticeKind:
    """Register a kind of notice under ``key`` (``app.name``); returns it."""
    kind = NoticeKind(key, str(label), subject, body, sms, essential, sms_params, attachments)
    _notice_kinds[key] = kind
    return kind


def notice_kinds() -> dict[str, NoticeKind]:
    return dict(_notice_kinds)


@dataclass(frozen=True)
class WorkbenchItem:
    """One line of the staff workbench on the admin index: what waits for a person."""

    order: int
    key: str
    label: str
    permission: str
    url: str
    query: str
    count: Callable


_workbench_items: dict[str, WorkbenchItem] = {}


def workbench_item(order: int, *, label, permission: str, url: str, query: str = ""):
    """Register ``count(user) -> int`` (one scoped COUNT) as an item of the staff workbench:
    shown to those with ``permission``, linking to ``url`` (a URL name or an address) with
    ``query`` (the changelist's filter, e.g. ``status__exact=pending``)."""

    def decorator(func):
        key = f"{func.__module__}.{func.__qualname__}"
        _workbench_items[key] = WorkbenchItem(order, key, label, permission, url, query, func)
        return func

    return decorator


def workbench_items() -> list[WorkbenchItem]:
    return sorted(_workbench_items.values(), key=lambda item: (item.order, item.key))


@dataclass(frozen=True, order=True)
class ApiRouter:
    order: int
    prefix: str
    router: str = field(compare=False)  # dotted path of a ``ninja.Router``


_api_routers: dict[str, ApiRouter] = {}


def api_router(order: int, prefix: str, router: str) -> None:
    """Add the ``ninja.Router`` at dotted path ``router`` to the open API under
    ``/api/v1/<prefix>`` (``association.api``). The module is imported when the API is
    built (the first request of a process), not when the app is ready."""
    _api_routers[prefix] = ApiRouter(order, prefix, router)


def api_routers() -> list[ApiRouter]:
    return sorted(_api_routers.values())


@dataclass(frozen=True)
class OpenDataset:
    """A table the association publishes as open data (``/open-data/``): ``rows(year)``
    gives dicts keyed by ``columns`` (key, Chinese heading); ``yearly`` datasets have one
    stable address per year, the others one address for the current state."""

    order: int
    key: str
    label: str
    description: str
    columns: tuple[tuple[str, str], ...]
    rows: Callable
    yearly: bool = True


_open_datasets: dict[str, OpenDataset] = {}


def open_dataset(order: int, *, key: str, label, description, columns, yearly: bool = True):
    """Register ``rows(year) -> iterable of dicts`` as the open dataset ``key`` (a slug)."""

    def decorator(func):
        _open_datasets[key] = OpenDataset(order, key, str(label), str(description), tuple(columns), func, yearly)
        return func

    return decorator


def open_datasets() -> list[OpenDataset]:
    return sorted(_open_datasets.values(), key=lambda d: (d.order, d.key))
