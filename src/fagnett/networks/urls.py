from __future__ import annotations

from django.urls import path

from fagnett.networks.views import coverage, dashboard, imports, organisation, roster

app_name = "networks"
urlpatterns = [
    path("n/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    # Roster: persons and memberships
    path("n/<slug:slug>/personer/", roster.roster, name="roster"),
    path("n/<slug:slug>/personer/eksport.<str:fmt>", roster.roster_export, name="roster_export"),
    path("n/<slug:slug>/personer/ny/", roster.person_create, name="person_create"),
    path("n/<slug:slug>/personer/<int:pk>/", roster.person_detail, name="person_detail"),
    path("n/<slug:slug>/personer/<int:pk>/endre/", roster.person_edit, name="person_edit"),
    path(
        "n/<slug:slug>/personer/<int:pk>/medlemskap/ny/", roster.membership_create, name="membership_create"
    ),
    path("n/<slug:slug>/medlemskap/<int:pk>/avslutt/", roster.membership_end, name="membership_end"),
    path("n/<slug:slug>/medlemskap/<int:pk>/flytt/", roster.membership_move, name="membership_move"),
    # Organisation: workplaces, groups, local chapters, settings
    path("n/<slug:slug>/arbeidssteder/", organisation.workplaces, name="workplaces"),
    path("n/<slug:slug>/arbeidssteder/ny/", organisation.workplace_create, name="workplace_create"),
    path("n/<slug:slug>/arbeidssteder/<int:pk>/endre/", organisation.workplace_edit, name="workplace_edit"),
    path("n/<slug:slug>/grupper/", organisation.groups, name="groups"),
    path("n/<slug:slug>/grupper/ny/", organisation.group_create, name="group_create"),
    path("n/<slug:slug>/grupper/<int:pk>/", organisation.group_detail, name="group_detail"),
    path("n/<slug:slug>/grupper/<int:pk>/endre/", organisation.group_edit, name="group_edit"),
    path("n/<slug:slug>/lokallag/", organisation.chapters, name="chapters"),
    path("n/<slug:slug>/lokallag/ny/", organisation.chapter_create, name="chapter_create"),
    path("n/<slug:slug>/lokallag/<slug:chapter>/endre/", organisation.chapter_edit, name="chapter_edit"),
    path("n/<slug:slug>/innstillinger/", organisation.network_settings, name="settings"),
    # Coverage
    path("n/<slug:slug>/dekning/", coverage.coverage, name="coverage"),
    path("n/<slug:slug>/dekning/eksport.csv", coverage.coverage_export, name="coverage_export"),
    # Roster import
    path("n/<slug:slug>/import/", imports.import_upload, name="import_upload"),
    path("n/<slug:slug>/import/mal.<str:fmt>", imports.import_template, name="import_template"),
    path("n/<slug:slug>/import/<int:pk>/", imports.import_preview, name="import_preview"),
]
