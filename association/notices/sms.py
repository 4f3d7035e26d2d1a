"""Text messages: the backend chosen by ``SMS_BACKEND``, the signature and the rate per number.

- ``association.notices.sms.ConsoleBackend`` (development, tests): writes the whole text,
  the number masked (138****5678), to the ``association.sms`` logger, i.e. the worker's log;
- ``association.notices.sms.AliyunBackend``: 阿里云短信服务 through its official SDK
  (``alibabacloud-dysmsapi20170525``, imported only when used). The provider sends only
  approved templates: ``SMS_ALIYUN_TEMPLATES`` maps each notice kind to its template code,
  and the kind's ``sms_params(context)`` gives the template's parameters; the signature
  name is ``SMS_SIGNATURE`` without its brackets.

A backend's ``send(mobile, text, *, kind, params)`` raises ``SmsTemporaryError`` for a fault
worth trying again (network, the provider's own limits) and ``SmsError`` for one that is not.
"""

import json
import logging
import time

from django.conf import settings
from django.utils.module_loading import import_string

from .. import logfilters
from ..crypto import mask_mobile

logger = logging.getLogger("association.sms")


class SmsError(Exception):
    """The provider refused the message; sending it again would not help."""


class SmsTemporaryError(SmsError):
    """A passing fault: the provider or the network did not answer; try again later."""


def signature() -> str:
    """【濮阳市科协】: ``SMS_SIGNATURE``, else the site's short name."""
    configured = getattr(settings, "SMS_SIGNATURE", "")
    if not configured:
        from ..models import SiteSettings

        configured = SiteSettings.load().short_name or "科协"
    configured = configured.strip().strip("【】")
    return f"【{configured}】"


def backend():
    return import_string(getattr(settings, "SMS_BACKEND", "association.notices.sms.ConsoleBackend"))()


class ConsoleBackend:
    """Development and tests: the message goes to the log, never to a phone."""

    def send(self, mobile: str, text: str, *, kind: str = "", params: dict | None = None) -> None:
        logger.info("SMS to %s [%s]: %s", mask_mobile(mobile), kind, logfilters.mask(text))


class AliyunBackend:
    """阿里云短信服务 (dysmsapi 2017-05-25). Settings: ``SMS_ALIYUN_ACCESS_KEY_ID``,
    ``SMS_ALIYUN_ACCESS_KEY_SECRET``, ``SMS_ALIYUN_ENDPOINT``, ``SMS_ALIYUN_TEMPLATES``."""

    # The provider's codes that another try may cure (its flow control, its own faults).
    TEMPORARY_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "isp.RAM_PERMISSION_DENY", "Throttling.User"}

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as openapi

        self.client = Client(openapi.Config(
            access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
            access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
            endpoint=getattr(settings, "SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com"),
        ))

    def send(self, mobile: str, text: str, *, kind: str = "", params: dict | None = None) -> None:
        from alibabacloud_dysmsapi20170525 import models as dysms

        template = getattr(settings, "SMS_ALIYUN_TEMPLATES", {}).get(kind)
        if not template:
            raise SmsError(f"no SMS_ALIYUN_TEMPLATES entry for {kind}")
        request = dysms.SendSmsRequest(
            phone_numbers=mobile, sign_name=signature().strip("【】"), template_code=template,
            template_param=json.dumps(params or {}, ensure_ascii=False),
        )
        try:
            response = self.client.send_sms(request)
        except Exception as exc:  # noqa: BLE001 - the SDK raises its own errors for network faults
            raise SmsTemporaryError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        code = getattr(response.body, "code", "")
        if code != "OK":
            error = SmsTemporaryError if code in self.TEMPORARY_CODES else SmsError
            raise error(f"{code}: {getattr(response.body, 'message', '')}"[:250])


def rate_allows(recipients: list[str]) -> list[bool]:
    """Count one message to each of these numbers (their keyed hashes) in Redis, in one
    round trip; False for a message over ``SMS_RATE_PER_NUMBER`` within ``SMS_RATE_WINDOW``
    seconds to its number."""
    from django_redis import get_redis_connection

    limit = getattr(settings, "SMS_RATE_PER_NUMBER", 10)
    if not limit or not recipients:
        return [True] * len(recipients)
    window = getattr(settings, "SMS_RATE_WINDOW", 3600)
    bucket = int(time.time() // window)
    try:
        pipe = get_redis_connection("default").pipeline(transaction=False)
        for recipient in recipients:
            key = f"sms-rate:{recipient}:{bucket}"
            pipe.incr(key)
            pipe.expire(key, window)
        counts = pipe.execute()[::2]
    except Exception:  # noqa: BLE001 - Redis down: send rather than stay silent
        logger.warning("SMS rate not counted: Redis unavailable")
        return [True] * len(recipients)
    return [count <= limit for count in counts]
