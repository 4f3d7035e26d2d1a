"""``/api/v1/``: the API, its schema, Swagger UI and the Chinese guide; anything else under
``/api/`` is a JSON 404."""

from django.http import JsonResponse
from django.urls import path, re_path

from . import views
from .core import get_api
from .errors import body


def not_found(request, rest=""):
    return JsonResponse(body("not_found", "没有这个接口地址，请看 /api/v1/docs/。"), status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("api/v1/docs/", views.guide, name="api-guide"),
    path("api/v1/", get_api().urls),
    re_path(r"^api/(?P<rest>.*)$", not_found),
]
