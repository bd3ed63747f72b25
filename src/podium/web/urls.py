from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("podium/", views.article_list, name="articles"),
    path("podium/<slug:slug>/", views.article, name="article"),
    path("onderwerpen/", views.topic_list, name="topics"),
    path("onderwerpen/<slug:slug>/", views.topic, name="topic"),
    path("auteurs/<slug:slug>/", views.author, name="author"),
]
