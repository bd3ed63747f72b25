from django.urls import path

from . import views

app_name = "bestof"

urlpatterns = [
    path("", views.compilation_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/artikelen/", views.articles, name="articles"),
    path("<int:pk>/voorbeeld/", views.preview, name="preview"),
    path("<int:pk>/bouwen/", views.build, name="build"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/definitief/", views.finalise, name="finalise"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
