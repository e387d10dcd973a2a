from __future__ import annotations

from django.urls import path

from fagnett.networks import views

app_name = "networks"
urlpatterns = [
    path("n/<slug:slug>/", views.dashboard, name="dashboard"),
]
