from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("artikel/<slug:slug>/melden/", views.report, name="report"),
    path("redactie/meldingen/<int:pk>/afgehandeld/", views.handle, name="handle"),
    path("redactie/spam/<int:pk>/opgeheven/", views.clear, name="clear"),
]
