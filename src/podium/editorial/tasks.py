"""Background work for the desk. Tasks take ids, reload the rows and call plain functions."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from podium.accounts.models import User
from podium.articles.models import Revision
from podium.core.mail import send_templated_email

from . import trust
from .models import CurationNotice


@task()
def analyse_revision(revision_id: int) -> int:
    from . import assistant  # numpy: not in a web process that only enqueues this task

    revision = Revision.objects.get(pk=revision_id)
    return assistant.analyse_revision(revision).pk


@task()
def review_trust(user_id: int) -> bool:
    user = User.objects.get(pk=user_id)
    return trust.apply_automatic_trust(user) is not None


@task()
def send_curation_notice(notice_id: int) -> int:
    notice = CurationNotice.objects.select_related("article__author", "created_by").get(
        pk=notice_id
    )
    article = notice.article
    return send_templated_email(
        "editorial/email/curation_notice",
        to=[article.author.email],
        context={
            "notice": notice,
            "article": article,
            "author": article.author,
            "site_url": settings.SITE_URL,
        },
    )
