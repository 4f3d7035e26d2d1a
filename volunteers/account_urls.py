"""Addresses under /accounts/ that belong to volunteers (their own page)."""

from django.urls import path

from . import account_views

app_name = "me"

urlpatterns = [
    path("me/", account_views.me, name="home"),
    path("me/certificates/", account_views.request_certificate, name="certificate_request"),
    path("me/certificates/<int:pk>/download/", account_views.download_certificate, name="certificate_download"),
    path("me/orders/<int:pk>/", account_views.leader_order, name="order"),
    path("me/claims/new/", account_views.claim_new, name="claim_new"),
    path("me/claims/review/", account_views.claim_queue, name="claim_queue"),
    path("me/claims/<int:pk>/evidence/", account_views.claim_evidence, name="claim_evidence"),
]
