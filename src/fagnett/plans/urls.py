from __future__ import annotations

from django.urls import path

from fagnett.plans.views import (
    dissemination,
    economy,
    goals,
    indicators,
    overview,
    partners,
    priorities,
    resources,
)

app_name = "plans"
urlpatterns = [
    # The hub: every plan, goal, indicator and the year's economy at a glance
    path("n/<slug:slug>/planer/", overview.overview, name="overview"),
    # Dissemination plans (kompetansespredningsplan)
    path("n/<slug:slug>/planer/spredning/ny/", dissemination.plan_create, name="plan_create"),
    path("n/<slug:slug>/planer/spredning/<int:pk>/", dissemination.plan_detail, name="plan_detail"),
    path("n/<slug:slug>/planer/spredning/<int:pk>/endre/", dissemination.plan_edit, name="plan_edit"),
    path("n/<slug:slug>/planer/spredning/<int:pk>/slett/", dissemination.plan_delete, name="plan_delete"),
    path(
        "n/<slug:slug>/planer/spredning/<int:pk>/plan.<str:fmt>",
        dissemination.plan_export,
        name="plan_export",
    ),
    path("n/<slug:slug>/planer/spredning/<int:pk>/import/", dissemination.plan_import, name="plan_import"),
    path(
        "n/<slug:slug>/planer/spredning/<int:pk>/import/<int:upload>/",
        dissemination.plan_import_preview,
        name="plan_import_preview",
    ),
    path("n/<slug:slug>/planer/spredning/importmal.xlsx", dissemination.plan_template, name="plan_template"),
    path(
        "n/<slug:slug>/planer/spredning/<int:pk>/aar/<int:year>/",
        dissemination.plan_year,
        name="plan_year",
    ),
    path(
        "n/<slug:slug>/planer/spredning/<int:pk>/tiltak/ny/",
        dissemination.measure_create,
        name="measure_create",
    ),
    path("n/<slug:slug>/planer/tiltak/<int:pk>/endre/", dissemination.measure_edit, name="measure_edit"),
    path("n/<slug:slug>/planer/tiltak/<int:pk>/slett/", dissemination.measure_delete, name="measure_delete"),
    path("n/<slug:slug>/planer/kategorier/", dissemination.vocabulary, name="vocabulary"),
    # Goals: main goal → sub-goals → actions; per year "achieved?"
    path("n/<slug:slug>/planer/maal/", goals.goals, name="goals"),
    path("n/<slug:slug>/planer/maal/ny/", goals.main_goal_create, name="main_goal_create"),
    path("n/<slug:slug>/planer/maal/<int:pk>/endre/", goals.main_goal_edit, name="main_goal_edit"),
    path("n/<slug:slug>/planer/maal/<int:pk>/slett/", goals.main_goal_delete, name="main_goal_delete"),
    path("n/<slug:slug>/planer/maal/<int:pk>/delmaal/ny/", goals.sub_goal_create, name="sub_goal_create"),
    path("n/<slug:slug>/planer/delmaal/<int:pk>/endre/", goals.sub_goal_edit, name="sub_goal_edit"),
    path("n/<slug:slug>/planer/delmaal/<int:pk>/slett/", goals.sub_goal_delete, name="sub_goal_delete"),
    path("n/<slug:slug>/planer/delmaal/<int:pk>/tiltak/ny/", goals.action_create, name="action_create"),
    path("n/<slug:slug>/planer/maaltiltak/<int:pk>/endre/", goals.action_edit, name="action_edit"),
    path("n/<slug:slug>/planer/maaltiltak/<int:pk>/slett/", goals.action_delete, name="action_delete"),
    path("n/<slug:slug>/planer/maal/<int:pk>/aar/<int:year>/", goals.assessment_edit, name="assessment_edit"),
    path("n/<slug:slug>/planer/maal/<int:pk>/maal.<str:fmt>", goals.goals_export, name="goals_export"),
    # Result indicators
    path("n/<slug:slug>/planer/indikatorer/", indicators.indicators, name="indicators"),
    path("n/<slug:slug>/planer/indikatorer/ny/", indicators.indicator_create, name="indicator_create"),
    path("n/<slug:slug>/planer/indikatorer/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    path(
        "n/<slug:slug>/planer/indikatorer/<int:pk>/endre/", indicators.indicator_edit, name="indicator_edit"
    ),
    path(
        "n/<slug:slug>/planer/indikatorer/<int:pk>/slett/",
        indicators.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "n/<slug:slug>/planer/indikatorer/<int:pk>/verdier/<int:year>/",
        indicators.values_edit,
        name="values_edit",
    ),
    path("n/<slug:slug>/planer/indikatorer/import/", indicators.values_import, name="values_import"),
    path(
        "n/<slug:slug>/planer/indikatorer/import/<int:upload>/",
        indicators.values_import_preview,
        name="values_import_preview",
    ),
    path(
        "n/<slug:slug>/planer/indikatorer/importmal.csv", indicators.values_template, name="values_template"
    ),
    path(
        "n/<slug:slug>/planer/indikatorer/verdier.<str:fmt>", indicators.values_export, name="values_export"
    ),
    # Priority areas per year
    path("n/<slug:slug>/planer/satsingsomrader/", priorities.priorities, name="priorities"),
    path("n/<slug:slug>/planer/satsingsomrader/ny/", priorities.priority_create, name="priority_create"),
    path(
        "n/<slug:slug>/planer/satsingsomrader/<int:pk>/endre/", priorities.priority_edit, name="priority_edit"
    ),
    path(
        "n/<slug:slug>/planer/satsingsomrader/<int:pk>/slett/",
        priorities.priority_delete,
        name="priority_delete",
    ),
    # Economy per year
    path("n/<slug:slug>/planer/okonomi/", economy.economy, name="economy"),
    path("n/<slug:slug>/planer/okonomi/ny/", economy.line_create, name="economy_create"),
    path("n/<slug:slug>/planer/okonomi/<int:pk>/endre/", economy.line_edit, name="economy_edit"),
    path("n/<slug:slug>/planer/okonomi/<int:pk>/slett/", economy.line_delete, name="economy_delete"),
    path("n/<slug:slug>/planer/okonomi/okonomi.<str:fmt>", economy.economy_export, name="economy_export"),
    # Partner networks
    path("n/<slug:slug>/planer/samarbeid/", partners.partners, name="partners"),
    path("n/<slug:slug>/planer/samarbeid/ny/", partners.partner_create, name="partner_create"),
    path("n/<slug:slug>/planer/samarbeid/<int:pk>/endre/", partners.partner_edit, name="partner_edit"),
    path("n/<slug:slug>/planer/samarbeid/<int:pk>/slett/", partners.partner_delete, name="partner_delete"),
    # Literature and learning resources
    path("n/<slug:slug>/laeringsressurser/", resources.resources, name="resources"),
    path("n/<slug:slug>/laeringsressurser/ny/", resources.resource_create, name="resource_create"),
    path("n/<slug:slug>/laeringsressurser/<int:pk>/endre/", resources.resource_edit, name="resource_edit"),
    path(
        "n/<slug:slug>/laeringsressurser/<int:pk>/slett/", resources.resource_delete, name="resource_delete"
    ),
]
