from __future__ import annotations

from django.urls import path

from fagnett.newsletters.views import compose, sending

app_name = "newsletters"
urlpatterns = [
    # Composing, the in-network archive, images, test send (composer)
    path("n/<slug:slug>/nyhetsbrev/", compose.newsletters, name="list"),
    path("n/<slug:slug>/nyhetsbrev/ny/", compose.create, name="create"),
    path("n/<slug:slug>/nyhetsbrev/forhandsvis/", compose.preview, name="preview"),
    path("n/<slug:slug>/nyhetsbrev/bilder/", compose.image_upload, name="image_upload"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/", compose.detail, name="detail"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/endre/", compose.edit, name="edit"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/slett/", compose.delete, name="delete"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/test/", compose.send_test, name="send_test"),
    # Sending in the background, progress, deciding uncertain deliveries (sending engine)
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/send/", sending.send, name="send"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/status/", sending.progress, name="progress"),
    path("n/<slug:slug>/nyhetsbrev/<int:pk>/usikre/", sending.resolve, name="resolve"),
    # Without login: images in the mails, and opting out
    path("nyhetsbrev/bilde/<str:token>", compose.image, name="image"),
    path("nyhetsbrev/avmeld/<str:token>/", compose.unsubscribe, name="unsubscribe"),
]
