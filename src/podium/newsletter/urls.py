from django.urls import path

from podium.delivery.csrf import token_for_members_only

from . import views, webhooks

app_name = "newsletter"


urlpatterns = [
    path(
        "", token_for_members_only(views.signup), name="signup"
    ),  # the footer form on cached pages
    path("bedankt/", views.signup_done, name="signup_done"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("afmelden/<str:token>/opnieuw/", views.resubscribe, name="resubscribe"),
    path("mijn-gegevens/", views.my_data_request, name="my_data_request"),
    path("mijn-gegevens/verstuurd/", views.my_data_sent, name="my_data_sent"),
    path("mijn-gegevens/<str:token>/", views.my_data, name="my_data"),
    path("mijn-gegevens/<str:token>/download/", views.my_data_download, name="my_data_download"),
    path("mijn-gegevens/<str:token>/verwijderen/", views.my_data_erase, name="my_data_erase"),
    path(
        "mijn-gegevens/<str:token>/abonnement/",
        views.my_data_subscription,
        name="my_data_subscription",
    ),
    path("profiel/", views.profile_subscription, name="profile_subscription"),
    path("archief/", views.archive, name="archive"),
    path("archief/<int:pk>/", views.archive_edition, name="archive_edition"),
    # The provider's bounce and complaint webhooks (anymail's; it checks the signature).
    path("esp/<str:provider>/<path:rest>", webhooks.provider_webhook, name="provider_webhook"),
]
