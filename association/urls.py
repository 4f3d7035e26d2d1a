from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "科协门户 · 管理后台"
admin.site.site_title = "科协门户"
admin.site.index_title = "工作台"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("volunteers.account_urls")),
    path("admin/", admin.site.urls),
    path("", include("association.public_urls")),
    path("volunteers/", include("volunteers.urls")),
    path("events/", include("events.urls")),
    path("talents/", include("talents.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
