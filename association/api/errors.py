"""Errors as JSON, in Chinese, with a code a program can rely on.

Every error answer is ``{"code": "<stable_code>", "message": "<Chinese for people>"}``,
with ``"fields"`` (``[{"field", "message"}]``) when the request's data was refused. A
service's refusal (``association.states.DomainError``) keeps the service's own message; its
code is the error class's ``api_code`` or, by default, its name in snake case
(``EventFull`` → ``event_full``), so renaming an error class is a change of the contract.
"""

import logging
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from ..states import DomainError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal an endpoint raises itself."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, str(message), status


def domain_code(error: DomainError) -> str:
    explicit = getattr(error, "api_code", "")
    if explicit:
        return explicit
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(error).__name__).lower()


# pydantic's error types in words a person reads.
FIELD_MESSAGES = {
    "missing": "必填。",
    "string_too_long": "太长了。",
    "string_too_short": "太短了。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "float_parsing": "应为数字。",
    "decimal_parsing": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "date_from_datetime_parsing": "应为日期，例如 2026-09-18。",
    "date_parsing": "应为日期，例如 2026-09-18。",
    "datetime_parsing": "应为日期时间，例如 2026-09-18T09:00:00+08:00。",
    "greater_than_equal": "太小了。",
    "less_than_equal": "太大了。",
    "greater_than": "太小了。",
    "less_than": "太大了。",
    "enum": "不是可选的值之一。",
    "literal_error": "不是可选的值之一。",
    "string_type": "应为文字。",
    "json_invalid": "不是有效的 JSON。",
    "model_attributes_type": "格式不对。",
    "dict_type": "应为 JSON 对象。",
    "list_type": "应为列表。",
}


def _field_errors(errors) -> list[dict]:
    fields = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        kind = error.get("type", "")
        message = FIELD_MESSAGES.get(kind)
        if message is None and kind == "value_error":
            # A validator's own words (pydantic puts "Value error, " before them).
            message = str(error.get("msg", "")).removeprefix("Value error, ")
        fields.append({"field": ".".join(location), "message": message or "取值不对。"})
    return fields


# What django-ninja itself refuses (a body that is no JSON, a method not allowed…).
HTTP_ERRORS = {
    400: ("bad_request", "请求无法解析：请检查 JSON 格式。"),
    403: ("forbidden", "没有权限。"),
    404: ("not_found", "未找到，或尚未公开。"),
    405: ("method_not_allowed", "这个地址不接受这种请求方法。"),
}


def body(code: str, message: str, **extra) -> dict:
    return {"code": code, "message": str(message), **extra}


def install(api) -> None:
    """Answer every error of ``api`` as JSON with a Chinese message."""

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return api.create_response(request, body(exc.code, exc.message), status=exc.status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        status = getattr(exc, "api_status", 409)
        return api.create_response(request, body(domain_code(exc), exc.message), status=status)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        return api.create_response(
            request, body("invalid", "请求内容有误，请按提示修改。", fields=_field_errors(exc.errors)), status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthorised(request, exc):
        return api.create_response(
            request, body("unauthorized", "需要有效的令牌：请先登录取得令牌，放在请求头 Authorization: Bearer 之后。"),
            status=401,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        code, message = HTTP_ERRORS.get(exc.status_code, ("error", "请求未能完成。"))
        return api.create_response(request, body(code, message), status=exc.status_code)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, body("forbidden", str(exc) or "没有权限。"), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, body("not_found", "未找到，或尚未公开。"), status=404)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = max(1, int(exc.wait or 1))
        response = api.create_response(
            request, body("rate_limited", f"请求过于频繁，请 {wait} 秒后再试。"), status=429
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return api.create_response(request, body("server_error", "服务器出错了，请稍后再试。"), status=500)
