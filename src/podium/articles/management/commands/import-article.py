"""podium import-article FILE --author EMAIL [--topic SLUG …] [--submit | --publish] [--dry-run]

For editors who receive articles by e-mail: the same import as "Importeer uit Word of tekst",
as a draft of the author, optionally submitted on their behalf or published at once (with the
first active editor as the one who publishes). All or nothing: when submitting or publishing
fails, no draft is left behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.accounts.selectors import editors
from podium.articles import lifecycle, services
from podium.articles.importing import ImportRejected, import_file, max_bytes, too_large_error
from podium.articles.models import Article
from podium.articles.terms import Terms, current_licence
from podium.topics.models import Topic


class Command(BaseCommand):
    help = "Import an article from a .docx, .txt or .md file as a draft of the given author."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .docx, .txt or .md file")
        parser.add_argument("--author", required=True, help="the author's e-mail address")
        parser.add_argument(
            "--topic",
            action="append",
            default=[],
            help="a topic (slug or name); repeat for up to three",
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--submit", action="store_true", help="submit it to the editors")
        action.add_argument("--publish", action="store_true", help="submit and publish it at once")
        parser.add_argument(
            "--ai-use",
            choices=["none", "aid", "generated"],
            default="none",
            help=(
                "with --submit/--publish: the author's statement on AI tools (aid and generated "
                "need --ai-explanation); submitting states for them that the text is their own "
                "and grants the current licence"
            ),
        )
        parser.add_argument("--ai-explanation", default="", help="how AI tools were used")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the title, lead and body HTML; save nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        size = path.stat().st_size
        if size > max_bytes():
            raise CommandError(too_large_error(size).message)
        try:
            result = import_file(path.name, path.read_bytes())
        except ImportRejected as exc:
            raise CommandError(exc.message) from None

        author = User.objects.filter(email__iexact=options["author"].strip()).first()
        if author is None:
            raise CommandError(
                _("No user with the e-mail address %(email)s.") % {"email": options["author"]}
            )
        topics = self._topics(options["topic"])
        publisher = None
        if options["publish"]:
            publisher = next(iter(editors()), None)
            if publisher is None:
                raise CommandError(
                    _("--publish needs an active editor to publish as, and there is none.")
                )

        for line in result.summary():
            self.stdout.write(f"- {line}")
        if options["dry_run"]:
            self.stdout.write("")
            self.stdout.write(_("Title: %(title)s") % {"title": result.title})
            self.stdout.write(_("Lead: %(lead)s") % {"lead": result.lead})
            if result.bio:
                self.stdout.write(f"Over de auteur: {result.bio}")
            self.stdout.write(_("Body:"))
            self.stdout.write(result.body_html)
            self.stdout.write(_("Dry run: nothing was saved."))
            return

        had_bio = bool(author.bio.strip())
        try:
            with transaction.atomic():
                article = services.import_article(by=author, result=result, topics=topics or None)
                if options["submit"] or options["publish"]:
                    statement = Terms(
                        is_own_work=True,
                        licence_version=current_licence().version,
                        ai_use=options["ai_use"],
                        ai_explanation=options["ai_explanation"],
                    )
                    article = services.submit_article(article=article, by=author, terms=statement)
                if publisher is not None and article.state == Article.State.SUBMITTED:
                    article = services.publish_article(article=article, by=publisher)
        except ValidationError as exc:
            raise CommandError(
                _("Nothing was saved: %(errors)s") % {"errors": " ".join(exc.messages)}
            ) from None
        except (lifecycle.TransitionNotAllowed, PermissionDenied) as exc:
            raise CommandError(_("Nothing was saved: %(errors)s") % {"errors": exc}) from None

        if result.bio and not had_bio:
            self.stdout.write(
                "- " + _("The “Over de auteur” text is now the author's profile bio.")
            )
        state = Article.State(article.state).label
        self.stdout.write(
            self.style.SUCCESS(
                _("Article %(pk)s “%(title)s” of %(email)s: %(state)s.")
                % {"pk": article.pk, "title": article, "email": author.email, "state": state}
            )
        )

    def _topics(self, names: list[str]) -> list[Topic]:
        topics = []
        for name in names:
            topic = Topic.objects.filter(Q(slug__iexact=name) | Q(name__iexact=name)).first()
            if topic is None:
                raise CommandError(_("No topic “%(name)s”.") % {"name": name})
            topics.append(topic)
        if len(topics) > services.MAX_TOPICS:
            raise CommandError(_("Choose at most three topics."))
        return topics
