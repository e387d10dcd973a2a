from __future__ import annotations

from django.urls import path

from fagnett.competence.views import matrix, person, plan, reminders, summary

app_name = "competence"
urlpatterns = [
    # The network's figures: summary chart and the coordinator's matrix
    path("n/<slug:slug>/kompetanseplan/", summary.summary, name="summary"),
    path("n/<slug:slug>/kompetanseplan/oversikt/", matrix.matrix, name="matrix"),
    path("n/<slug:slug>/kompetanseplan/oversikt/eksport.xlsx", matrix.matrix_export, name="matrix_export"),
    # The plan itself: versions and requirements, edited by the network coordinator
    path("n/<slug:slug>/kompetanseplan/plan/", plan.plans, name="plans"),
    path("n/<slug:slug>/kompetanseplan/plan/ny/", plan.plan_create, name="plan_create"),
    path("n/<slug:slug>/kompetanseplan/plan/<int:pk>/", plan.plan_detail, name="plan_detail"),
    path("n/<slug:slug>/kompetanseplan/plan/<int:pk>/endre/", plan.plan_edit, name="plan_edit"),
    path("n/<slug:slug>/kompetanseplan/plan/<int:pk>/slett/", plan.plan_delete, name="plan_delete"),
    path(
        "n/<slug:slug>/kompetanseplan/plan/<int:pk>/krav/ny/",
        plan.requirement_create,
        name="requirement_create",
    ),
    path(
        "n/<slug:slug>/kompetanseplan/krav/<int:pk>/endre/",
        plan.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "n/<slug:slug>/kompetanseplan/krav/<int:pk>/slett/",
        plan.requirement_delete,
        name="requirement_delete",
    ),
    # A person's plan (themselves, their leader, coordinators) and a leader's staff
    path("n/<slug:slug>/personer/<int:pk>/kompetanseplan/", person.person_plan, name="person_plan"),
    path("n/<slug:slug>/mine-ansatte/", person.staff, name="staff"),
    # Reminders: the person's own preference
    path(
        "n/<slug:slug>/personer/<int:pk>/kompetanseplan/varsler/",
        reminders.reminder_preference,
        name="reminder_preference",
    ),
]
