"""The open API at ``/api/v1/`` (django-ninja): for the WeChat mini-program, partners and
the public.

Why django-ninja: the endpoints are plain typed Python functions whose parameters and
answers are pydantic schemas, so the OpenAPI 3 schema (``/api/v1/openapi.json``) is
generated from the same code that validates requests and shapes answers — it cannot drift
from what the portal does — and it brings Swagger UI without a CDN (its files are served
from the portal). It sits on Django's own request cycle: the middleware, the sessions-free
token auth below, the services and their locks are the web pages' own.

The core builds one ``NinjaAPI`` (``core.api``): its own routers (log-in tokens, news, the
organisation directory) and those the apps register with ``extensions.api_router``. Shared
pieces:

- ``errors``: every error is JSON ``{"code": …, "message": "<Chinese>"}`` with a stable code;
- ``auth``: bearer tokens (``association.ApiToken``) of two kinds, a volunteer's and a unit's;
- ``throttles``: limits per token and per address (django-ratelimit, Redis);
- ``pagination``: ``?page=&page_size=`` answered as ``{items, count, page, pages, has_next}``;
- ``conditional``: ``ETag``/``Last-Modified`` and 304 answers for every GET.
"""
