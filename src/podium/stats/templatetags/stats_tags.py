from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from podium.articles.models import Article

from ..charts import bar_chart, share_bar
from ..selectors import DayCount

register = template.Library()


@register.inclusion_tag("stats/beacon.html")
def stats_beacon(article: Article) -> dict[str, object]:
    """The reader-signal beacon for a live article page (data handed to JS via json_script)."""
    return {"beacon": {"url": reverse("stats:beacon"), "article": article.pk}}


@register.simple_tag
def views_chart(series: Sequence[DayCount], width: int = 300, height: int = 60) -> SafeString:
    total = sum(d.views for d in series)
    label = _("Views per day over %(days)s days: %(total)s in total") % {
        "days": len(series),
        "total": total,
    }
    return bar_chart(series, label=label, width=width, height=height)


@register.simple_tag(name="share_bar")
def share_bar_tag(value: int, peak: int) -> SafeString:
    return share_bar(value, peak)
