"""A URLconf with the topic pages elsewhere (tests/core/test_slug_url.py)."""

from django.urls import include, path

from podium.web import views

web = (
    [path("thema/<slug:slug>/", views.topic, name="topic")],
    "web",
)
urlpatterns = [path("", include(web))]
