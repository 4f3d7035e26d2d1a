"""Addresses under /accounts/ that belong to volunteers (their own page)."""

from django.urls import path

from . import account_views, rights_views

app_name = "me"

urlpatterns = [
    path("me/", account_views.me, name="home"),
    path("me/certificates/", account_views.request_certificate, name="certificate_request"),
    path("me/certificates/<int:pk>/download/", account_views.download_certificate, name="certificate_download"),
    path("me/orders/<int:pk>/", account_views.leader_order, name="order"),
    # 我的数据: the rights over one's own data (个人信息保护法).
    path("me/data/download/", rights_views.download, name="data_download"),
    path("me/profile/", rights_views.profile, name="profile"),
    path("me/requests/correction/", rights_views.correction, name="correction"),
    path("me/requests/real-name/", rights_views.real_name, name="real_name"),
    path("me/id-consent/withdraw/", rights_views.withdraw_id_consent, name="id_consent_withdraw"),
    path("me/delete/", rights_views.delete_account, name="delete"),
    path("me/claims/new/", account_views.claim_new, name="claim_new"),
    path("me/claims/review/", account_views.claim_queue, name="claim_queue"),
    path("me/claims/<int:pk>/evidence/", account_views.claim_evidence, name="claim_evidence"),
]
