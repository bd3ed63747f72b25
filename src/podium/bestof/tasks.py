"""Background work for compilations. Tasks take ids, reload the rows and call plain functions."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from podium.core.mail import send_templated_email

from . import services
from .models import Compilation


@task()
def build_compilation(compilation_id: int, build_number: int) -> bool:
    return services.run_build(compilation_id=compilation_id, build_number=build_number)


@task()
def notify_authors_finalised(compilation_id: int) -> int:
    """One e-mail to each author with an article in the finalised compilation."""
    compilation = Compilation.objects.get(pk=compilation_id)
    entries = compilation.entries.select_related("article__author").order_by("position", "pk")
    by_author: dict[int, list] = {}
    authors = {}
    for entry in entries:
        by_author.setdefault(entry.article.author_id, []).append(entry.article)
        authors[entry.article.author_id] = entry.article.author
    sent = 0
    for author_id, articles in by_author.items():
        author = authors[author_id]
        sent += send_templated_email(
            "bestof/email/finalised",
            to=[author.email],
            context={
                "compilation": compilation,
                "author": author,
                "articles": articles,
                "site_url": settings.SITE_URL,
            },
        )
    return sent
