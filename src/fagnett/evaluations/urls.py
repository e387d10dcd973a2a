from __future__ import annotations

from django.urls import path

from fagnett.evaluations.views import answer, builder, imports, results, setup

app_name = "evaluations"
urlpatterns = [
    # Forms and templates (builder)
    path("n/<slug:slug>/evalueringer/", builder.forms, name="forms"),
    path("n/<slug:slug>/evalueringer/skjema/ny/", builder.form_create, name="form_create"),
    path("n/<slug:slug>/evalueringer/skjema/<int:pk>/", builder.form_detail, name="form_detail"),
    path("n/<slug:slug>/evalueringer/skjema/<int:pk>/endre/", builder.form_edit, name="form_edit"),
    path("n/<slug:slug>/evalueringer/skjema/<int:pk>/kopier/", builder.form_copy, name="form_copy"),
    path("n/<slug:slug>/evalueringer/skjema/<int:pk>/slett/", builder.form_delete, name="form_delete"),
    path(
        "n/<slug:slug>/evalueringer/skjema/<int:pk>/seksjon/ny/",
        builder.section_create,
        name="section_create",
    ),
    path("n/<slug:slug>/evalueringer/seksjon/<int:pk>/endre/", builder.section_edit, name="section_edit"),
    path("n/<slug:slug>/evalueringer/seksjon/<int:pk>/slett/", builder.section_delete, name="section_delete"),
    path(
        "n/<slug:slug>/evalueringer/skjema/<int:pk>/sporsmal/ny/",
        builder.question_create,
        name="question_create",
    ),
    path("n/<slug:slug>/evalueringer/sporsmal/<int:pk>/endre/", builder.question_edit, name="question_edit"),
    path(
        "n/<slug:slug>/evalueringer/sporsmal/<int:pk>/slett/",
        builder.question_delete,
        name="question_delete",
    ),
    # A form on an activity: attach, room display (QR code and short link)
    path("n/<slug:slug>/aktiviteter/<int:pk>/evaluering/", setup.evaluation_setup, name="setup"),
    path("n/<slug:slug>/evalueringer/<int:pk>/rom/", setup.room, name="room"),
    # Results, comparison, exports
    path("n/<slug:slug>/evalueringer/<int:pk>/", results.results, name="results"),
    path("n/<slug:slug>/evalueringer/<int:pk>/resultater.pdf", results.results_pdf, name="results_pdf"),
    path("n/<slug:slug>/evalueringer/<int:pk>/svar.<str:fmt>", results.export, name="export"),
    path("n/<slug:slug>/evalueringer/sammenligning/", results.compare, name="compare"),
    # Nettskjema import into an activity's evaluation
    path("n/<slug:slug>/aktiviteter/<int:pk>/evaluering/import/", imports.upload, name="import_upload"),
    path(
        "n/<slug:slug>/aktiviteter/<int:pk>/evaluering/import/<int:batch>/",
        imports.preview,
        name="import_preview",
    ),
    # Answering, without login
    path("e/<str:code>/", answer.answer, name="answer"),
    path("e/<str:code>/takk/", answer.thanks, name="thanks"),
    path("e/<str:code>/<str:token>/", answer.answer_with_link, name="answer_with_link"),
]
