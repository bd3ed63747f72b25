from django.urls import include, path

from podium.core.csrf import token_for_members_only

from . import views

app_name = "newsletter"

urlpatterns = [
    path(
        "", token_for_members_only(views.signup), name="signup"
    ),  # the footer form on cached pages
    path("bedankt/", views.signup_done, name="signup_done"),
    path("bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("afmelden/<str:token>/opnieuw/", views.resubscribe, name="resubscribe"),
    path("profiel/", views.profile_subscription, name="profile_subscription"),
    path("archief/", views.archive, name="archive"),
    path("archief/<int:pk>/", views.archive_edition, name="archive_edition"),
    # The provider's bounce and complaint webhooks (anymail checks the signature).
    path("esp/", include("anymail.urls")),
]
