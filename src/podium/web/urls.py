from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("podium/", views.article_list, name="articles"),
    path("podium/<slug:slug>/", views.article, name="article"),
    path("onderwerpen/", views.topic_list, name="topics"),
    path("onderwerpen/<slug:slug>/", views.topic, name="topic"),
    path("auteurs/", views.author_list, name="authors"),
    path("schrijven/", views.write_for_podium, name="write"),
    path("auteurs/<slug:slug>/", views.author, name="author"),
    path("fotos/<str:name>", views.photo, name="photo"),
    path("zoeken/", views.search_page, name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("onderwerpen/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed_rss"),
    path("onderwerpen/<slug:slug>/feed/atom/", feeds.TopicAtomFeed(), name="topic_feed_atom"),
    path("auteurs/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("auteurs/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "web:sitemap_section",
            "template_name": "web/sitemap_index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "web/sitemap.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
]
