from __future__ import annotations

from django.urls import path

from fagnett.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
]
