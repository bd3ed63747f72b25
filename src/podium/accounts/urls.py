from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("meldingen/", views.notifications, name="notifications"),
    path("adres-terugzetten/<str:token>/", views.undo_email_change, name="undo_email_change"),
]
