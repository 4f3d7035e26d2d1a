"""Answering the picture code (django-simple-captcha) in tests, as a person reading it would."""

import re

from captcha.models import CaptchaStore


def asked(html: str) -> bool:
    return 'name="captcha_0"' in html


def answer(html: str) -> dict:
    """The fields a person sends after reading the picture shown in ``html``."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="captcha_0"', html)
    assert key, "the page shows no picture code"
    store = CaptchaStore.objects.get(hashkey=key.group(1))
    return {"captcha_0": store.hashkey, "captcha_1": store.response}
