from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.fill, name="fill"),
    path("review/<int:pk>/", views.review, name="review"),
]
