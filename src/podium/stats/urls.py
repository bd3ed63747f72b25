from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("profiel/activiteiten/statistieken/", views.overview, name="overview"),
    path("profiel/activiteiten/statistieken/<int:pk>/", views.article_stats, name="article"),
    path("lezers/signaal/", views.beacon, name="beacon"),
]
