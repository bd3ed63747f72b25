from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.statement, name="statement"),
    path("profiel/mijn-gegevens/", views.my_data, name="my_data"),
    path("profiel/mijn-gegevens/download/", views.export, name="export"),
    path(
        "profiel/mijn-gegevens/nieuwsbrief/download/",
        views.newsletter_export,
        name="newsletter_export",
    ),
    path(
        "profiel/mijn-gegevens/nieuwsbrief/verwijderen/",
        views.newsletter_erase,
        name="newsletter_erase",
    ),
]
