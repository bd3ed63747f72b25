"""The demo's compilation: the demo articles, so a newcomer can build a compilation at once."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .models import Compilation


def ensure_demo_compilation() -> Compilation | None:
    """Create the demo compilation of the demo's live articles, once (idempotent)."""
    from podium.accounts.models import User
    from podium.articles.models import Article

    title = "Het beste van Podium"
    existing = Compilation.objects.filter(
        title=title, created_by__email="redactie@podium.example"
    ).first()
    if existing:
        return existing
    editor = User.objects.filter(email="redactie@podium.example").first()
    articles = list(Article.objects.published().order_by("published_at", "pk"))
    if editor is None or not articles:
        return None
    today = timezone.localdate()
    start = min(timezone.localdate(a.published_at) for a in articles if a.published_at)
    compilation = services.create_compilation(
        by=editor,
        title=title,
        subtitle="De sterkste bijdragen van het afgelopen kwartaal",
        foreword=(
            "Elk kwartaal kiest de redactie de bijdragen die het meest zijn gelezen, besproken en "
            "gedeeld. In deze bundel vindt u ze terug, zoals ze op Podium verschenen.\n\n"
            "Veel leesplezier, namens de redactie."
        ),
        period_start=min(start, today - datetime.timedelta(days=90)),
        period_end=today,
    )
    return services.set_articles(
        compilation=compilation, article_ids=[a.pk for a in articles[:6]], by=editor
    )
