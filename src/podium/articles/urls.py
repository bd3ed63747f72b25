from django.urls import path

from . import views, views_import, views_pictures, views_sharing

app_name = "articles"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nieuw/", views.create, name="create"),
    path("nieuw/autosave/", views.autosave, name="autosave_new"),
    path("nieuw/importeren/", views_import.import_new, name="import_new"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/importeren/", views_import.import_into, name="import_into"),
    path("<int:pk>/voorbeeld/", views.preview, name="preview"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/gesprek/", views.conversation_page, name="conversation"),
    path("<int:pk>/opnieuw-indienen/", views.resubmit, name="resubmit"),
    path("<int:pk>/versies/", views.versions, name="versions"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
    path("<int:pk>/intrekken/", views.withdraw_submission, name="withdraw_submission"),
    path("<int:pk>/offline/", views.withdraw, name="withdraw"),
    path("<int:pk>/heropenen/", views.reopen, name="reopen"),
    path("<int:pk>/afbeelding/", views_pictures.header_image, name="header_image"),
    path(
        "<int:pk>/afbeelding/gegevens/",
        views_pictures.header_image_details,
        name="header_image_details",
    ),
    path(
        "<int:pk>/afbeelding/verwijderen/",
        views_pictures.header_image_remove,
        name="header_image_remove",
    ),
    path(
        "<int:pk>/afbeeldingen/<int:image_pk>/",
        views_pictures.picture_details,
        name="picture_details",
    ),
    path("afbeelding/", views_pictures.figure_upload, name="figure_upload"),
    path("<int:pk>/coauteurs/", views_sharing.coauthor_list, name="coauthors"),
    path(
        "<int:pk>/coauteurs/<int:row>/verwijderen/",
        views_sharing.coauthor_remove,
        name="coauthor_remove",
    ),
    path("<int:pk>/coauteurs/verlaten/", views_sharing.coauthor_leave, name="coauthor_leave"),
    path("uitnodiging/<str:token>/", views_sharing.invitation, name="invitation"),
    path("<int:pk>/inzage/", views_sharing.preview_links, name="preview_links"),
    path(
        "<int:pk>/inzage/<int:link>/intrekken/",
        views_sharing.preview_link_revoke,
        name="preview_link_revoke",
    ),
]
