"""Limits per token and per address on every API request (django-ratelimit's counters in
Redis, like the public forms' limits in ``association.throttle``).

A school or a carrier puts many honest people behind one address: the addresses of
``SHARED_NETWORKS`` get ``API_RATE_PER_SHARED_ADDRESS``; a token has its own limit
(``API_RATE_PER_TOKEN``) wherever it comes from. Over a limit the answer is 429 with
``Retry-After``. When Redis is down nothing is limited rather than nothing answered.
"""

import logging

from django.conf import settings
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

from ..clientip import client_ip
from ..throttle import is_shared_address

log = logging.getLogger(__name__)


class _Throttle(BaseThrottle):
    group = ""

    def key(self, request) -> str | None:
        raise NotImplementedError

    def rate(self, request) -> str:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        self._wait = None
        ident = self.key(request)
        if ident is None:
            return True
        try:
            usage = get_usage(request, group=self.group, key=lambda g, r: ident, rate=self.rate(request), increment=True)
        except Exception:  # noqa: BLE001 - Redis down: answer unlimited
            log.warning("API limits unavailable")
            return True
        if usage and usage["should_limit"]:
            self._wait = usage["time_left"]
            return False
        return True

    def wait(self):
        return self._wait


class AddressThrottle(_Throttle):
    group = "api:address"

    def key(self, request):
        return client_ip(request) or "unknown"

    def rate(self, request):
        if is_shared_address(client_ip(request)):
            return settings.API_RATE_PER_SHARED_ADDRESS
        return settings.API_RATE_PER_ADDRESS


class TokenThrottle(_Throttle):
    group = "api:token"

    def key(self, request):
        token = getattr(request, "api_token", None)
        return str(token.pk) if token is not None else None

    def rate(self, request):
        return settings.API_RATE_PER_TOKEN
