"""The root of the addresses: the staff admin, the picture code, then each app's own."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("accounts/", include("volunteers.account_urls")),
    path("volunteers/", include("volunteers.urls")),
    path("events/", include("events.urls")),
    path("talents/", include("talents.urls")),
    path("returns/", include("returns.urls")),
    path("", include("association.api.urls")),
    path("", include("association.urls")),
]
