from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("fagnett.core.urls")),
    path("", include("fagnett.networks.urls")),
    path("", include("fagnett.activities.urls")),
    path("", include("fagnett.competence.urls")),
    path("", include("fagnett.evaluations.urls")),
    path("", include("fagnett.plans.urls")),
    path("", include("fagnett.overview.urls")),
    path("", include("fagnett.newsletters.urls")),
    path("", include("fagnett.public.urls")),
    path("", include("fagnett.reports.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
