"""The editors' side, under /redactie/ and so behind the desk's second factor. The views answer
404 to anyone who is not an editor (`get_article_for_editor`, `selectors.get_thread`)."""

from django.urls import path

from . import views

app_name = "annotations_desk"

DESK = {"desk": True}

urlpatterns = [
    path("artikel/<int:pk>/opmerking/", views.comment, DESK, name="comment"),
    path("artikel/<int:pk>/voorstel/", views.suggest, DESK, name="suggest"),
    path("draad/<int:pk>/antwoord/", views.reply, DESK, name="reply"),
    path("draad/<int:pk>/afgehandeld/", views.resolve, DESK, name="resolve"),
    path("draad/<int:pk>/heropenen/", views.reopen, DESK, name="reopen"),
]
