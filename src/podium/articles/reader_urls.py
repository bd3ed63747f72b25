"""The one page of `articles` for readers without an account: a version shared by preview link
(mounted at /inzage/, never in the page cache)."""

from django.urls import path

from . import views_sharing

app_name = "shared"

urlpatterns = [
    path("<str:token>/versie-<int:number>/", views_sharing.shared_preview, name="preview"),
]
