from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "podium.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        from podium.core import freshness, hooks
        from podium.images.cleanup import register_keeper

        from .receivers import (
            on_article_event,
            on_author_byline_changed,
            on_author_renamed,
            on_daily,
            on_daily_notifications,
            on_image_changed,
            on_topic_changed,
            pictures_in_texts,
        )
        from .selectors import next_scheduled_publication

        hooks.register(hooks.AUTHOR_RENAMED, on_author_renamed)
        hooks.register(hooks.AUTHOR_BYLINE_CHANGED, on_author_byline_changed)
        hooks.register(hooks.TOPIC_CHANGED, on_topic_changed)
        hooks.register(hooks.IMAGE_CHANGED, on_image_changed)
        hooks.register(hooks.ARTICLE_EVENT, on_article_event)
        hooks.register(hooks.DAILY, on_daily)
        register_keeper(pictures_in_texts)
        # An article published "later" appears at its time, with nobody saving anything.
        freshness.changes_at(next_scheduled_publication)
        hooks.register(hooks.DAILY, on_daily_notifications)
