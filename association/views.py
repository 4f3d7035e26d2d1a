"""Core views: the home page, the organisation directory and the health check."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from . import extensions, health, selectors
from .models import County, Organization


def home(request):
    blocks = [
        {"template": entry.template, "context": entry.func(request)} for entry in extensions.home_blocks()
    ]
    return render(request, "association/home.html", {"blocks": blocks})


def healthz(request):
    report = health.check_all()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _int_param(request, name):
    try:
        return int(request.GET.get(name) or 0) or None
    except ValueError:
        return None


def organization_directory(request):
    kind = request.GET.get("kind", "")
    if kind not in Organization.Kind.values:
        kind = ""
    county_id = _int_param(request, "county")
    q = request.GET.get("q", "").strip()[:50]
    organizations = selectors.organization_directory(kind=kind, county_id=county_id, q=q)
    page = Paginator(organizations, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "association/organizations.html",
        {
            "page_obj": page,
            "kind": kind,
            "county_id": county_id,
            "q": q,
            "counties": County.objects.all(),
            "kind_counts": selectors.organization_counts_by_kind(county_id=county_id),
        },
    )
