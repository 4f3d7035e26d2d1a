from django.urls import path

from . import views

app_name = "talents"

urlpatterns = [
    path("", views.search_redirect, name="index"),
    path("experts/", views.expert_list, name="experts"),
    path("experts/<int:pk>/", views.expert_detail, name="expert"),
    path("awards/", views.award_index, name="awards"),
    path("awards/<int:pk>/", views.round_detail, name="round"),
    path("awards/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("awards/<int:pk>/nominate/done/", views.nominate_done, name="nominate_done"),
    path("awards/<int:pk>/objection/", views.objection, name="objection"),
    path("demands/", views.demand_list, name="demands"),
    path("demands/new/", views.demand_new, name="demand_new"),
    path("demands/new/done/", views.demand_thanks, name="demand_thanks"),
    path("demands/<int:pk>/", views.demand_detail, name="demand"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_detail, name="review"),
    path("materials/<int:pk>/", views.material_download, name="material"),
]
