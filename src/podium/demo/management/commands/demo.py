"""`podium demo`: load the demo content (podium/demo/content/) into the database.

Everything goes through the real services, so the demo data looks exactly like data made through
the site: profiles via accounts.services.update_profile, articles via save_draft, submit_article,
publish_article and request_changes (with their revisions, events and notifications). Afterwards the
timestamps are moved into the past with queryset updates, so the site shows articles spread over
the last two months; that is a seed-data fix-up, not something the application itself ever does.

Idempotent: users are keyed by e-mail address, topics by slug, articles by author and title. What
exists already is left as it is (an existing demo user keeps the password it has now), so running
the command twice creates nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts import roles
from podium.accounts.models import User
from podium.accounts.photos import process_photo
from podium.accounts.services import update_profile
from podium.articles import conversation, related, services
from podium.articles.models import Article, ArticleEvent, Revision, SubmissionTerms
from podium.articles.sanitize import clean_text
from podium.articles.terms import Terms, current_licence
from podium.demo.data import (
    DemoAccount,
    DemoArticle,
    DemoContentError,
    DemoTopic,
    load_accounts,
    load_articles,
    load_topics,
)
from podium.demo.pictures import bar_chart, header_png
from podium.demo.portraits import portrait_png
from podium.images.models import Image
from podium.images.processing import clean_picture_bytes
from podium.images.rendering import figure_markup
from podium.images.services import ImageDetails, store_picture
from podium.topics.models import Topic

# Demo only: printed by the command after loading; never use it anywhere real.
DEMO_PASSWORD = "podium-demo-2026"  # noqa: S105

Action = ArticleEvent.Action
State = Article.State


@dataclass
class AccountResult:
    user: User
    spec: DemoAccount
    created: bool


def _local(days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    """`days_ago` days before today at hh:mm local time, but never later than now."""
    now = timezone.now()
    day = timezone.localtime(now) - datetime.timedelta(days=days_ago)
    moment = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return timezone.localtime(min(moment, now))


class Command(BaseCommand):
    # argparse cannot format lazy strings, so the --help text stays English like Django's own.
    help = "Load the demo topics, accounts and articles (idempotent: run it as often as you like)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            topic_specs = load_topics()
            account_specs = load_accounts()
            article_specs = load_articles()
        except (DemoContentError, OSError, KeyError, ValueError) as exc:
            raise CommandError(
                _("The demo content cannot be read: %(error)s") % {"error": exc}
            ) from exc

        topics, topics_created = self._ensure_topics(topic_specs)
        accounts = [self._ensure_account(spec, topics) for spec in account_specs]
        by_email = {result.spec.email: result.user for result in accounts}
        editor = self._editor(accounts)

        created = skipped = 0
        for spec in article_specs:
            author = by_email.get(spec.author)
            if author is None:
                raise CommandError(
                    _("%(file)s: the author %(email)s is not in accounts.json.")
                    % {"file": spec.source, "email": spec.author}
                )
            unknown = [slug for slug in spec.topics if slug not in topics]
            if unknown:
                raise CommandError(
                    _("%(file)s: unknown topics %(topics)s.")
                    % {"file": spec.source, "topics": ", ".join(unknown)}
                )
            if self._ensure_article(spec, author, editor, topics):
                created += 1
            else:
                skipped += 1

        self._report(accounts, topics_created, len(topics) - topics_created, created, skipped)
        if created:
            # Each publication queued its "read more", computed among the articles published
            # before it: now that all are there, every list is computed among all of them.
            related.backfill(only_missing=False)
        # Het beste van Podium: one compilation of the demo articles, so a newcomer can build it.
        if apps.is_installed("podium.bestof"):
            from podium.bestof.demo import ensure_demo_compilation

            compilation = ensure_demo_compilation()
            if compilation is not None:
                self.stdout.write(
                    f"Compilation {compilation.pk}: {compilation.title} (podium bestof build {compilation.pk})"
                )

    # --- topics and accounts ------------------------------------------------------------------

    def _ensure_topics(self, specs: list[DemoTopic]) -> tuple[dict[str, Topic], int]:
        topics: dict[str, Topic] = {}
        created = 0
        for spec in specs:
            topic = Topic.objects.filter(slug=spec.slug).first()
            if topic is None:
                # A topic of that name under another slug (made by hand) is reused, not duplicated.
                topic = Topic.objects.filter(name=spec.name).first()
            if topic is None:
                topic = Topic.objects.create(
                    slug=spec.slug,
                    name=spec.name,
                    name_en=spec.name_en,
                    description=spec.description,
                    description_en=spec.description_en,
                )
                created += 1
            topics[spec.slug] = topic
        return topics, created

    @transaction.atomic
    def _ensure_account(self, spec: DemoAccount, topics: dict[str, Topic]) -> AccountResult:
        user = User.objects.filter(email__iexact=spec.email).first()
        created = user is None
        if user is None:
            if spec.role == "administrator":
                user = User.objects.create_superuser(spec.email, DEMO_PASSWORD)
            else:
                user = User.objects.create_user(spec.email, DEMO_PASSWORD, is_trusted=spec.trusted)
        role = {"administrator": roles.ADMINISTRATORS, "editor": roles.EDITORS}.get(spec.role)
        if role and user.role != role:
            user.role = role
            user.save(update_fields=["role"])

        # allauth requires a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory").
        address, _new = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])

        # The profile is filled in once; later runs leave what the user changed alone.
        data: dict[str, Any] = {}
        if created or not user.display_name:
            data.update(
                display_name=spec.display_name,
                job_title=spec.job_title,
                organisation=spec.organisation,
                bio=spec.bio,
                website=spec.website,
                linkedin=spec.linkedin,
            )
        if not user.photo:
            upload = SimpleUploadedFile(
                "portrait.png",
                portrait_png(spec.display_name, spec.colour),
                content_type="image/png",
            )
            data["photo"] = process_photo(upload)
        if data:
            expertise = (
                [topics[slug] for slug in spec.expertise if slug in topics] if created else None
            )
            update_profile(user=user, by=user, data=data, expertise=expertise)
        return AccountResult(user=user, spec=spec, created=created)

    def _editor(self, accounts: list[AccountResult]) -> User:
        for result in accounts:
            if result.spec.role == "editor":
                # A fresh instance: is_editor is cached per instance, and the group is new.
                editor = User.objects.get(pk=result.user.pk)
                if editor.is_editor:
                    return editor
        raise CommandError(_("The demo content needs an active editor account."))

    # --- articles -----------------------------------------------------------------------------

    def _ensure_article(
        self, spec: DemoArticle, author: User, editor: User, topics: dict[str, Topic]
    ) -> bool:
        """Create the article and take it to its state; False when it exists already."""
        title = clean_text(spec.title)
        if Article.objects.filter(author=author, title=title).exists():
            return False
        try:
            with transaction.atomic():
                header, figure = self._pictures(spec, author)
                text = services.ArticleText(
                    title=spec.title,
                    lead=spec.lead,
                    body=spec.body + (figure_markup(figure) if figure else ""),
                    topics=[topics[s] for s in spec.topics],
                )
                article = services.save_draft(by=author, text=text)
                services.set_header_image(article=article, by=author, image=header)
                if spec.state != State.DRAFT:
                    article = services.submit_article(
                        article=article,
                        by=author,
                        terms=Terms(True, current_licence().version, SubmissionTerms.AiUse.NONE),
                    )
                if spec.state == State.PUBLISHED and article.state == State.SUBMITTED:
                    article = services.publish_article(article=article, by=editor)
                elif spec.state == State.CHANGES_REQUESTED:
                    article = services.request_changes(
                        article=article, by=editor, message=spec.message
                    )
                if article.state != spec.state:
                    raise CommandError(
                        _(
                            "%(file)s ended up “%(state)s” instead of “%(wanted)s”; is its author trusted?"
                        )
                        % {"file": spec.source, "state": article.state, "wanted": spec.state}
                    )
                self._backdate(article, spec)
                self._converse(article, author, editor)
        except CommandError:
            raise
        except Exception as exc:
            raise CommandError(
                _("%(file)s could not be loaded: %(error)s") % {"file": spec.source, "error": exc}
            ) from exc
        return True

    # The charts in the text: the first few published articles carry one.
    CHART_LABELS = [
        "Organisaties met een vierdaagse werkweek",
        "Teams die hybride werken",
        "Bedrijven met een AI-beleid",
        "Vacatures die langer dan drie maanden openstaan",
    ]

    def _pictures(self, spec: DemoArticle, author: User) -> tuple[Image, Image | None]:
        """The article's header illustration and, for the first few published articles, a chart
        for the text: drawn by code, checked and stored like any upload."""
        header = store_picture(
            by=author,
            picture=clean_picture_bytes(header_png(spec.title), name="illustratie.png"),
            details=ImageDetails(
                is_decorative=True,
                credit="Illustratie: Podium-demo",
                licence=Image.Licence.OWN,
            ),
        )
        figure = None
        charts_done = getattr(self, "_charts_done", 0)
        if spec.state == State.PUBLISHED and charts_done < len(self.CHART_LABELS):
            chart = bar_chart(spec.title, self.CHART_LABELS[charts_done])
            figure = store_picture(
                by=author,
                picture=clean_picture_bytes(chart.png, name="grafiek.png"),
                details=ImageDetails(
                    alt_text=chart.alt_text,
                    caption=chart.caption,
                    credit="Grafiek: Podium-demo",
                    licence=Image.Licence.OWN,
                ),
            )
            self._charts_done = charts_done + 1
        return header, figure

    def _converse(self, article: Article, author: User, editor: User) -> None:
        """A little of the conversation with the editors, so its pages show what it is for: the
        author answers the request for changes; a submission is taken on, with an internal note."""
        if article.state == State.CHANGES_REQUESTED:
            conversation.write_message(
                article=article,
                by=author,
                body="Dank voor het meelezen. Ik kort de inleiding in en stuur het stuk deze week "
                "opnieuw in.",
            )
        elif (
            article.state == State.SUBMITTED
            and not Article.objects.filter(claimed_by=editor).exists()
        ):
            conversation.claim(article=article, by=editor)
            conversation.write_message(
                article=article,
                by=editor,
                body="Sterk onderwerp. De cijfers in de tweede alinea wil ik nog natrekken.",
                internal=True,
            )

    def _backdate(self, article: Article, spec: DemoArticle) -> None:
        """Move the article's timestamps (and its events' and revisions') into the past, so the
        demo shows a plausible history instead of everything happening this very second."""
        now = timezone.now()
        updates: dict[str, datetime.datetime] = {}
        events: dict[str, datetime.datetime] = {}
        if spec.state == State.PUBLISHED:
            # Published between 07:30 and 10:30, varied per article.
            published = _local(spec.days_ago, 7 + article.pk % 4, 30)
            updates["published_at"] = published
            if article.submitted_at is not None:  # reviewed by an editor
                # Sent in the afternoon before, between 13:00 and 17:59.
                last_saved = (published - datetime.timedelta(days=1)).replace(
                    hour=13 + article.pk % 5, minute=(article.pk * 7) % 60
                )
                updates["submitted_at"] = last_saved
                events[Action.SUBMIT] = last_saved
                events[Action.PUBLISH] = published
            else:  # a trusted contributor's piece went live on submission
                last_saved = published
                events[Action.AUTO_PUBLISH] = published
            written = last_saved - datetime.timedelta(days=2, hours=3)
        elif spec.state in (State.SUBMITTED, State.CHANGES_REQUESTED):
            last_saved = _local(spec.days_ago, 14, 5)
            updates["submitted_at"] = last_saved
            events[Action.SUBMIT] = last_saved
            if spec.state == State.CHANGES_REQUESTED:
                events[Action.REQUEST_CHANGES] = min(
                    last_saved + datetime.timedelta(days=1, hours=19), now
                )
            written = last_saved - datetime.timedelta(days=1, hours=6)
        else:  # a draft, begun in the evening and saved a little later
            written = _local(spec.days_ago, 20, 40)
            last_saved = min(written + datetime.timedelta(hours=1, minutes=15), now)
        updates["created_at"] = written
        updates["updated_at"] = last_saved
        Article.objects.filter(pk=article.pk).update(**updates)
        for action, at in events.items():
            ArticleEvent.objects.filter(article=article, action=action).update(at=at)
        Revision.objects.filter(article=article).update(created_at=last_saved)

    # --- output -------------------------------------------------------------------------------

    def _report(
        self,
        accounts: list[AccountResult],
        topics_created: int,
        topics_existing: int,
        created: int,
        skipped: int,
    ) -> None:
        self.stdout.write(
            _("Topics: %(created)d created, %(existing)d already present.")
            % {"created": topics_created, "existing": topics_existing}
        )
        self.stdout.write(
            _("Articles: %(created)d created, %(existing)d already present.")
            % {"created": created, "existing": skipped}
        )
        role_labels = {
            "administrator": _("administrator"),
            "editor": _("editor"),
            "contributor": _("contributor"),
        }
        rows = []
        for result in accounts:
            role = role_labels[result.spec.role]
            if result.spec.role == "contributor" and result.user.is_trusted:
                role = _("trusted contributor")
            if result.created or result.user.check_password(DEMO_PASSWORD):
                password = DEMO_PASSWORD
            else:
                password = _("(changed since)")
            rows.append((result.user.email, password, role, result.user.display_name))
        header = (_("E-mail"), _("Password"), _("Role"), _("Name"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo accounts")))
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                _(
                    "These passwords are for the demo only. Never load the demo into a site that "
                    "real people use. Accounts that already existed keep their current password."
                )
            )
        )
