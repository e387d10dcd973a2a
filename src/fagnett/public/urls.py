from __future__ import annotations

from django.urls import path

from fagnett.public.views import pages

app_name = "public"
urlpatterns = [
    path("nettverk/<slug:slug>/", pages.network, name="network"),
    path("nettverk/<slug:slug>/nyhetsbrev/", pages.newsletters, name="newsletters"),
    path("nettverk/<slug:slug>/nyhetsbrev/<int:pk>/", pages.newsletter, name="newsletter"),
    path("n/<slug:slug>/innstillinger/offentlig/", pages.settings, name="settings"),
]
