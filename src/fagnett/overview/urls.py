from __future__ import annotations

from django.urls import path

from fagnett.overview.views import map as map_views
from fagnett.overview.views import networks

app_name = "overview"
urlpatterns = [
    # One row per network the reader may read; sortable; year selector
    path("oversikt/", networks.networks, name="networks"),
    path("oversikt/nettverk.<str:fmt>", networks.networks_export, name="networks_export"),
    # The coverage map of Norway, zoomable by ?fylke=NN, ?helseforetak=<pk>, ?nettverk=<slug>; table under it
    path("oversikt/kart/", map_views.national_map, name="map"),
    path("oversikt/kart/kommuner.<str:fmt>", map_views.map_export, name="map_export"),
    # One municipality: which networks cover it, active resource persons per service type
    path("oversikt/kommune/<str:number>/", map_views.municipality, name="municipality"),
]
