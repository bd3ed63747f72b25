from django.urls import path

from podium.articles import views_pictures

from . import views
from .access import editor_required

app_name = "editorial"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("artikel/<int:pk>/", views.review, name="review"),
    # The header image of a submission or publication: the articles app's views, behind the
    # desk's second factor.
    path(
        "artikel/<int:pk>/afbeelding/",
        editor_required(views_pictures.header_image),
        {"desk": True},
        name="header_image",
    ),
    path(
        "artikel/<int:pk>/afbeelding/gegevens/",
        editor_required(views_pictures.header_image_details),
        {"desk": True},
        name="header_image_details",
    ),
    path(
        "artikel/<int:pk>/afbeelding/verwijderen/",
        editor_required(views_pictures.header_image_remove),
        {"desk": True},
        name="header_image_remove",
    ),
    path("artikel/<int:pk>/gesprek/", views.message, name="message"),
    path("artikel/<int:pk>/notitie/", views.note, name="note"),
    path("artikel/<int:pk>/oppakken/", views.claim, name="claim"),
    path("artikel/<int:pk>/overnemen/", views.take_over, name="take_over"),
    path(
        "artikel/<int:pk>/afbeeldingen/<int:image_pk>/",
        editor_required(views_pictures.picture_details),
        {"desk": True},
        name="picture_details",
    ),
    path("artikel/<int:pk>/publiceren/", views.publish, name="publish"),
    path("artikel/<int:pk>/wijzigingen/", views.request_changes, name="request_changes"),
    path("artikel/<int:pk>/afwijzen/", views.reject, name="reject"),
    path("artikel/<int:pk>/offline/", views.take_down, name="take_down"),
    path("artikel/<int:pk>/bewerken/", views.edit, name="edit"),
    path("artikel/<int:pk>/voorpagina/", views.place, name="place"),
    path("artikel/<int:pk>/kiezen/<slug:kind>/", views.pick, name="pick"),
    path("artikel/<int:pk>/niet-kiezen/<slug:kind>/", views.unpick, name="unpick"),
    path("artikel/<int:pk>/gezien/", views.mark_seen, name="mark_seen"),
    path("voorpagina/", views.home_page, name="home_page"),
    path("voorpagina/volgorde/", views.reorder, name="reorder"),
    path("voorpagina/<int:placement_id>/verplaatsen/", views.move, name="move"),
    path("voorpagina/<int:placement_id>/verwijderen/", views.unplace, name="unplace"),
    path("voorpagina/<int:placement_id>/tijden/", views.placement_times, name="placement_times"),
    path("statistieken/", views.statistics, name="statistics"),
    path("licentie/", views.licence, name="licence"),
    path("medewerkers/", views.contributors, name="contributors"),
    path("medewerkers/<int:pk>/", views.contributor_trust, name="contributor"),
]
