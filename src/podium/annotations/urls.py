"""The author's side: under Activiteiten (see desk_urls for the editors')."""

from django.urls import path

from . import views

app_name = "annotations"

urlpatterns = [
    path("artikel/<int:pk>/opmerking/", views.comment, name="comment"),
    path("draad/<int:pk>/antwoord/", views.reply, name="reply"),
    path("draad/<int:pk>/afgehandeld/", views.resolve, name="resolve"),
    path("draad/<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("voorstel/<int:pk>/aannemen/", views.accept, name="accept"),
    path("voorstel/<int:pk>/afwijzen/", views.reject, name="reject"),
]
