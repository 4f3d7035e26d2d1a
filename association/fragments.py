"""Rendered parts of pages kept until what they show changes: the home page's blocks, the
news and event lists, the masthead, navigation and footer.

Most of a public page's cost is rendering the same HTML from the same rows again for every
visitor the page cache does not serve (the first after a change, every logged-in visitor,
every address outside it). Those parts are kept, rendered, in each web worker's memory
(the ``fragments`` cache, ``{% cache fragments.seconds "name" fragments.<topic> … using="fragments" %}``)
under the *version* of each topic they show. A topic is a set of models the apps name
(``extensions.fragment_topic``); any save or delete of one of their rows (the admin, a
service, an import, a script) gives the topic a new version in Redis as it commits, and
every worker renders its parts afresh on the next request. A logged-in member of staff
sees their change at once, as before.

A request reads every version in one round trip (``versions(request)``, lazily, the first
time a template asks). Content that changes with the clock (an event whose sign-up
closed, figures counted every few minutes) is kept at most ``FRAGMENT_CACHE_SECONDS``.
A page read from the streaming replica keeps its parts no longer than the replica may lag
(``REPLICA_MAX_LAG_SECONDS``). When the versions cannot be read (Redis down) nothing is
kept or served from here.
``FRAGMENT_CACHE_SECONDS = 0`` turns it off (the default under tests, which turn it on
where they test it).

Writes that bypass ``save()`` (``QuerySet.update``) call ``changed_on_commit(topic)``.
"""

import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import dbrouting, extensions

VERSION_SECONDS = 7 * 24 * 3600


def _key(topic: str) -> str:
    return f"fragments:version:{topic}"


def changed(*topics: str) -> None:
    """Parts showing these topics are rendered afresh from now on."""
    cache.set_many({_key(topic): uuid.uuid4().hex[:12] for topic in topics}, VERSION_SECONDS)


def changed_on_commit(*topics: str) -> None:
    transaction.on_commit(lambda: changed(*topics))


class Versions:
    """What templates read as ``fragments``: ``fragments.seconds`` (0: keep nothing) and
    ``fragments.<topic>``, the topic's current version; read once per request."""

    def __init__(self):
        self._versions = None

    def _load(self) -> dict:
        if self._versions is None:
            topics = extensions.fragment_topics()
            keys = [_key(topic) for topic in topics]
            found = cache.get_many(keys) if settings.FRAGMENT_CACHE_SECONDS else {}
            missing = [topic for topic in topics if _key(topic) not in found]
            if missing and settings.FRAGMENT_CACHE_SECONDS:
                # First use, or expired: give them a version; another worker may do the same
                # at once, so keep whichever was stored first.
                for topic in missing:
                    cache.add(_key(topic), uuid.uuid4().hex[:12], VERSION_SECONDS)
                found.update(cache.get_many([_key(topic) for topic in missing]))
            if settings.FRAGMENT_CACHE_SECONDS and all(_key(topic) in found for topic in topics):
                self._versions = {topic: found[_key(topic)] for topic in topics}
                self._versions["seconds"] = _seconds()
            else:
                # Off, or Redis did not answer: every part is rendered, and nothing kept
                # (a timeout of 0) or found (no part is ever kept under "off").
                self._versions = dict.fromkeys(topics, "off")
                self._versions["seconds"] = 0
        return self._versions

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._load()[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def all(self) -> str:
        """Every topic's version: for a part that shows a little of everything (the home page)."""
        versions = self._load()
        return "-".join(versions[topic] for topic in extensions.fragment_topics())


def _seconds() -> int:
    """How long this request may keep what it renders. A page read from the replica
    (``association.dbrouting``) may render rows a change has not reached yet under the
    change's new version: kept no longer than the replica may lag."""
    if dbrouting.reads_may_lag():
        return min(settings.FRAGMENT_CACHE_SECONDS, settings.REPLICA_MAX_LAG_SECONDS)
    return settings.FRAGMENT_CACHE_SECONDS


def versions(request) -> Versions:
    """The request's versions, read at most once however many templates ask."""
    found = getattr(request, "_fragment_versions", None)
    if found is None:
        found = request._fragment_versions = Versions()
    return found


def kept(request, name: str, topic: str, build):
    """``build()``'s result, kept in this worker's memory under the topic's version (a value
    every page needs, such as the site's particulars, without a round trip of its own)."""
    found = versions(request)
    seconds = found.seconds
    if not seconds:
        return build()
    store = caches["fragments"]
    key = f"kept:{name}:{getattr(found, topic)}"
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, seconds)
    return value


def clear_local() -> None:
    """Forget this process's rendered parts (tests; a worker keeps them until they expire)."""
    caches["fragments"].clear()


# -- keeping the versions: every writer of a topic's rows ------------------------------------

def _topic(model) -> str | None:
    global _topics_by_model
    if _topics_by_model is None:
        _topics_by_model = {label: topic for topic, label in extensions.fragment_topic_models()}
    return _topics_by_model.get(model._meta.label)


_topics_by_model = None


def _saved_or_deleted(sender, **kwargs):
    topic = _topic(sender)
    if topic:
        changed_on_commit(topic)


def _m2m_changed(sender, instance=None, action="", model=None, **kwargs):
    if action.startswith("post_"):
        topics = {_topic(type(instance)), _topic(model)} - {None}
        if topics:
            changed_on_commit(*topics)


def connect() -> None:
    """Watch every save and delete (the apps name their models after the core is ready, so
    the receivers look the model up when a row is written; a dictionary look-up)."""
    post_save.connect(_saved_or_deleted, dispatch_uid="fragments-saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="fragments-deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="fragments-m2m")
