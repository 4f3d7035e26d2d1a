"""The API's guide in Chinese (``/api/v1/docs/``), written from the same OpenAPI schema
that Swagger UI (``/api/v1/swagger/``) reads."""

from functools import lru_cache

from django.shortcuts import render

from .core import get_api

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
PLACES = {"query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}


@lru_cache(maxsize=1)
def _sections() -> list[dict]:
    schema = get_api().get_openapi_schema(path_prefix="/api/v1/")
    tags: dict[str, list] = {}
    for address, methods in schema["paths"].items():
        for method in METHOD_ORDER:
            operation = methods.get(method)
            if not operation:
                continue
            params = [
                {
                    "name": p["name"],
                    "place": PLACES.get(p.get("in"), p.get("in")),
                    "required": p.get("required", False),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            tags.setdefault((operation.get("tags") or ["其他"])[0], []).append({
                "method": method.upper(),
                "address": address,
                "summary": operation.get("summary", ""),
                "token": bool(operation.get("security")),
                "body": "requestBody" in operation,
                "params": params,
            })
    return [{"tag": tag, "operations": ops} for tag, ops in tags.items()]


def guide(request):
    api = get_api()
    return render(request, "association/api_guide.html", {
        "sections": _sections(), "title": api.title, "description": api.description,
    })
