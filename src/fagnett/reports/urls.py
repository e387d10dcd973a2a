from __future__ import annotations

from django.urls import path

from fagnett.reports.views import documents, editor

app_name = "reports"
urlpatterns = [
    # The network's reports by year; the editor of one (facts beside narratives, autosave), its lifecycle
    path("n/<slug:slug>/arsrapport/", editor.reports, name="list"),
    path("n/<slug:slug>/arsrapport/<int:year>/", editor.report, name="report"),
    path("n/<slug:slug>/arsrapport/<int:year>/rediger/", editor.edit, name="edit"),
    path("n/<slug:slug>/arsrapport/<int:year>/tekst/<str:section>/", editor.save_narrative, name="narrative"),
    path("n/<slug:slug>/arsrapport/<int:year>/generer/", editor.regenerate, name="regenerate"),
    path("n/<slug:slug>/arsrapport/<int:year>/publiser/", editor.publish, name="publish"),
    path("n/<slug:slug>/arsrapport/<int:year>/gjenapne/", editor.reopen, name="reopen"),
    # Documents: docx, pdf, json, xlsx (html is the report page itself)
    path("n/<slug:slug>/arsrapport/<int:year>/arsrapport.<str:fmt>", documents.download, name="download"),
    # The network's own Word template
    path("n/<slug:slug>/arsrapport/mal/", documents.template, name="template"),
    path("n/<slug:slug>/arsrapport/mal/standard.docx", documents.default_template, name="default_template"),
    # Published and public: no login
    path("nettverk/<slug:slug>/arsrapport/<int:year>/", documents.public_report, name="public"),
    path(
        "nettverk/<slug:slug>/arsrapport/<int:year>/arsrapport.pdf", documents.public_pdf, name="public_pdf"
    ),
]
