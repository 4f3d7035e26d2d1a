from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/service/", views.service_check_in, name="service"),
    path("<int:pk>/service-qr/", views.service_qr, name="service_qr"),
    path("service/", views.service_scan, name="service_scan"),
    path("registration/<str:token>/", views.registration_page, name="registration"),
    path("registration/<str:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("exports/<int:pk>/", views.export_status, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
