from __future__ import annotations

from django.urls import path

from fagnett.activities.views import calendar, person, registration, shadowing

app_name = "activities"
urlpatterns = [
    # Calendar and activities
    path("n/<slug:slug>/aktiviteter/", calendar.calendar, name="calendar"),
    path("n/<slug:slug>/aktiviteter/ny/", calendar.activity_create, name="activity_create"),
    path("n/<slug:slug>/aktiviteter/<int:pk>/", calendar.activity_detail, name="activity_detail"),
    path("n/<slug:slug>/aktiviteter/<int:pk>/endre/", calendar.activity_edit, name="activity_edit"),
    # Registration, attendance, check-in
    path("n/<slug:slug>/aktiviteter/<int:pk>/pamelding/", registration.signup, name="signup"),
    path("n/<slug:slug>/aktiviteter/<int:pk>/deltakere/", registration.participants, name="participants"),
    path("n/<slug:slug>/aktiviteter/<int:pk>/oppmote/", registration.attendance, name="attendance"),
    path(
        "n/<slug:slug>/aktiviteter/<int:pk>/innsjekk/", registration.checkin_display, name="checkin_display"
    ),
    path("innsjekk/<str:token>/", registration.checkin, name="checkin"),
    path("innsjekk/<str:token>/<str:signed>/", registration.checkin_personal, name="checkin_personal"),
    # Job shadowing
    path("n/<slug:slug>/hospitering/", shadowing.shadowings, name="shadowings"),
    path("n/<slug:slug>/hospitering/ny/", shadowing.shadowing_create, name="shadowing_create"),
    path("n/<slug:slug>/hospitering/<int:pk>/endre/", shadowing.shadowing_edit, name="shadowing_edit"),
    # The person's own activities, certificates and calendar feeds
    path("n/<slug:slug>/mine-aktiviteter/", person.my_activities, name="my_activities"),
    path("n/<slug:slug>/attester/<int:pk>.pdf", person.certificate, name="certificate"),
    path(
        "n/<slug:slug>/attester/<int:person_pk>/<int:year>.pdf",
        person.yearly_statement,
        name="yearly_statement",
    ),
    path("n/<slug:slug>/kalenderlenke/", person.feed_settings, name="feed_settings"),
    path("kalender/<str:token>.ics", person.private_feed, name="private_feed"),
    path("nettverk/<slug:slug>/kalender.ics", person.public_feed, name="public_feed"),
    path("attest/<str:code>/", person.verify, name="verify"),
]
