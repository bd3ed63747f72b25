from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("artikel/<int:pk>/", views.review, name="review"),
    path("artikel/<int:pk>/publiceren/", views.publish, name="publish"),
    path("artikel/<int:pk>/wijzigingen/", views.request_changes, name="request_changes"),
    path("artikel/<int:pk>/afwijzen/", views.reject, name="reject"),
    path("artikel/<int:pk>/offline/", views.take_down, name="take_down"),
    path("artikel/<int:pk>/bewerken/", views.edit, name="edit"),
]
