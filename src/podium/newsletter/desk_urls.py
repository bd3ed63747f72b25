from django.urls import path

from . import desk_views as views

app_name = "newsletter_desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.create, name="create"),
    path("abonnees.csv", views.export, name="export"),
    path("importeren/", views.import_view, name="import"),
    path("<int:pk>/", views.edition, name="edition"),
    path("<int:pk>/opslaan/", views.update, name="update"),
    path("<int:pk>/verplaatsen/", views.move, name="move"),
    path("<int:pk>/verwijderen/", views.remove, name="remove"),
    path("<int:pk>/toevoegen/", views.add, name="add"),
    path("<int:pk>/voorbeeld/", views.preview_html, name="preview_html"),
    path("<int:pk>/voorbeeld.txt", views.preview_text, name="preview_text"),
    path("<int:pk>/test/", views.test_send, name="test_send"),
    path("<int:pk>/verzenden/", views.send_now, name="send_now"),
    path("<int:pk>/inplannen/", views.schedule, name="schedule"),
    path("<int:pk>/niet-inplannen/", views.unschedule, name="unschedule"),
    path("<int:pk>/voortgang.json", views.progress, name="progress"),
]
