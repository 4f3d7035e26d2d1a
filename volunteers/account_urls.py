"""Addresses under /accounts/ that belong to volunteers (their own page)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
