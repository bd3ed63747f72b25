"""Writes on articles: saving text, and the named lifecycle actions with their preconditions."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.images import processing
from podium.images import services as image_services
from podium.images.checks import alt_text_from_word
from podium.images.models import Image
from podium.images.rendering import figure_image_ids, figure_markup, remove_figures
from podium.images.services import can_edit_image
from podium.topics.models import Topic

from . import lifecycle, related, search
from . import terms as submission_terms
from .importing import ImportResult
from .importing.result import PICTURE_MARKS, picture_mark
from .limits import new_account_problems
from .models import Article, ArticleEvent, FormerSlug, Revision
from .sanitize import clean_text, count_characters, count_words, html_to_text, sanitize_html
from .terms import Terms

Action = ArticleEvent.Action

MAX_TOPICS = 3
# Drafts may run over the limit while the author is cutting; this only stops abuse of storage.
DRAFT_HARD_LIMIT_FACTOR = 4


class StaleVersion(Exception):
    """The text was changed elsewhere since this version was loaded; nothing was saved."""

    def __init__(self, article: Article) -> None:
        self.article = article
        super().__init__(_("This article was changed elsewhere in the meantime."))


@dataclass(frozen=True)
class ArticleText:
    title: str
    lead: str
    body: str
    topics: Sequence[Topic] | None = None


def _usable_picture_ids(article: Article, by: User, wanted: list[int]) -> set[int]:
    """Of the pictures the text wants to show, those it may: uploaded by the author or by whoever
    is saving, or already part of this article. (Someone else's picture id typed into the HTML
    is not a way to show their draft's picture.)"""
    if not wanted:
        return set()
    owners = [pk for pk in (by.pk, article.author_id) if pk is not None]
    already = Q(pk=article.header_image_id) if article.header_image_id else Q(pk__in=[])
    if article.pk:
        already |= Q(pk__in=article.figure_images.values("pk"))
    return set(
        Image.objects.filter(pk__in=wanted)
        .filter(Q(uploaded_by__in=owners) | already)
        .values_list("pk", flat=True)
    )


def _apply_text(article: Article, text: ArticleText, *, by: User) -> list[int] | None:
    """Set the cleaned text on `article`. Returns the ids of the pictures its figures show, or
    None when neither the old nor the new text has any (nothing to keep in step then)."""
    had_figures = bool(article.pk) and bool(figure_image_ids(article.body))
    article.title = clean_text(text.title)[: article_rules.TITLE_MAX_CHARS]
    article.lead = clean_text(text.lead)[: article_rules.LEAD_MAX_CHARS]
    article.body = sanitize_html(text.body)
    wanted = figure_image_ids(article.body)
    figures: list[int] | None = None
    if wanted or had_figures:
        usable = _usable_picture_ids(article, by, wanted)
        if usable != set(wanted):
            article.body = remove_figures(article.body, keep=usable)
        figures = [pk for pk in wanted if pk in usable]
    article.char_count = count_characters(article.body)
    if article.char_count > article_rules.BODY_MAX_CHARS * DRAFT_HARD_LIMIT_FACTOR:
        raise ValidationError(_("This text is far longer than an article can be."), code="too_long")
    article.word_count = count_words(html_to_text(article.body))
    article.updated_at = timezone.now()
    return figures


def _slug_base(title: str) -> str:
    return slugify(title)[:120].strip("-") or "artikel"


def _unique_slug(title: str, exclude_pk: int | None) -> str:
    """A slug for the title that no other article has or had (current and former addresses)."""
    base = _slug_base(title)
    slug, n = base, 2
    others = Article.objects.all() if exclude_pk is None else Article.objects.exclude(pk=exclude_pk)
    former = FormerSlug.objects.all()
    if exclude_pk is not None:
        former = former.exclude(article_id=exclude_pk)
    while others.filter(slug=slug).exists() or former.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _follow_title(article: Article) -> None:
    """Keep the address in step with the title (call with the row locked, before saving it).

    Until its first publication nobody outside the desk has the address, so it simply follows the
    title. After that, a new title gives a new address and the old one is kept as a FormerSlug,
    which answers 301 to the new one. A draft that was never submitted has no address yet."""
    if not article.slug or not article.title:
        return
    current_base = re.sub(r"-\d+$", "", article.slug)
    if _slug_base(article.title) in (article.slug, current_base):
        return
    new_slug = _unique_slug(article.title, article.pk)
    if new_slug == article.slug:
        return
    if article.published_at is not None:
        FormerSlug.objects.get_or_create(slug=article.slug, defaults={"article": article})
        # Renamed back to an earlier title: that address is current again.
        FormerSlug.objects.filter(article=article, slug=new_slug).delete()
    article.slug = new_slug


@transaction.atomic
def save_draft(
    *,
    by: User,
    text: ArticleText,
    article: Article | None = None,
    expected_version: int | None = None,
) -> Article:
    """Create a draft (article=None) or save the text of a draft or a piece whose changes were
    requested, by its author or a co-author (`lifecycle.PERMISSIONS`). With `expected_version`, refuses with StaleVersion when the stored text is newer,
    so an old tab or a late autosave never overwrites newer work."""
    if article is None:
        article = Article(author=by)
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        # The author and the co-authors write until the article is submitted.
        lifecycle.check(article, lifecycle.Permission.EDIT_TEXT, by=by)
        if expected_version is not None and expected_version != article.version:
            raise StaleVersion(article)
        article.version += 1
    figures = _apply_text(article, text, by=by)
    _follow_title(article)
    article.save()
    if figures is not None:
        article.figure_images.set(figures)
    if text.topics is not None:
        article.topics.set(list(text.topics)[:MAX_TOPICS])
    return article


def picture_problems(article: Article) -> list[str]:
    """Pictures that readers who cannot see them would miss: neither alt text nor the mark that
    the picture is decorative. Empty: every picture is accounted for."""
    problems = []
    for number, image in enumerate(article.pictures()):
        if image.has_text_alternative:
            continue
        if image.caption:
            name = _("The picture “%(caption)s”") % {"caption": image.caption}
        elif image.pk == article.header_image_id:
            name = _("The header image")
        else:
            name = _("Picture %(number)s in the text") % {
                "number": number + (0 if article.header_image_id else 1)
            }
        problems.append(
            _("%(picture)s has no alt text: describe what it shows, or mark it as decorative.")
            % {"picture": name}
        )
    return problems


@transaction.atomic
def check_header_image_permission(article: Article, by: User) -> None:
    """Raise unless `by` may change the article's header image now: the author while it is theirs
    to edit, an editor once it is submitted or published."""
    if by.is_editor and article.state in (Article.State.SUBMITTED, Article.State.PUBLISHED):
        return
    if article.author_id != by.pk:
        raise PermissionDenied(_("Only the author or an editor can change the header image."))
    if not article.is_editable_by_author:
        raise lifecycle.TransitionNotAllowed(article, Action.EDITOR_EDIT)


def check_picture_permission(article: Article, by: User) -> None:
    """Raise unless `by` may change the details of the article's pictures now: whoever may
    change its header image (the author while it is theirs to edit, an editor once it is
    submitted or published)."""
    check_header_image_permission(article, by)


@transaction.atomic
def set_header_image(*, article: Article, by: User, image: Image | None) -> Article:
    """Give the article a header image (or none). The author may while the article is theirs to
    edit; editors may once it has been submitted (add or replace). Raises PermissionDenied or
    TransitionNotAllowed; nothing is written then."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    check_header_image_permission(locked, by)
    if image is not None and not can_edit_image(by, image) and image.pk != locked.header_image_id:
        raise PermissionDenied(_("You can only use pictures you uploaded yourself."))
    locked.header_image = image
    locked.updated_at = timezone.now()
    locked.save(update_fields=["header_image", "updated_at"])
    if locked.state == Article.State.PUBLISHED:
        lifecycle.readers_see_article_change()  # the new picture, on their next request
        from .tasks import make_share_card

        transaction.on_commit(lambda: make_share_card.enqueue(locked.pk))
    return locked


def submission_problems(article: Article) -> list[str]:
    """What keeps this article from being submitted, in the author's language (empty: ready)."""
    problems = []
    author = article.author
    if "display_name" in author.missing_profile_fields():
        problems.append(_("Your profile has no name yet."))
    if "bio" in author.missing_profile_fields():
        problems.append(_("Your profile has no “Over de auteur” text yet."))
    if not article.title:
        problems.append(_("The article has no title."))
    if not article.lead:
        problems.append(_("The article has no lead."))
    if article.word_count == 0:
        problems.append(_("The article has no text."))
    if article.char_count > article_rules.BODY_MAX_CHARS:
        problems.append(
            _("The text has %(count)s characters; the limit is %(limit)s.")
            % {"count": article.char_count, "limit": article_rules.BODY_MAX_CHARS}
        )
    n_topics = article.topics.count()
    if not 1 <= n_topics <= MAX_TOPICS:
        problems.append(_("Choose one to three topics."))
    problems.extend(picture_problems(article))
    problems.extend(new_account_problems(article))
    return problems


def submit_article(
    *, article: Article, by: User, note: str = "", terms: Terms | None = None
) -> Article:
    """Submit a draft for review (a trusted contributor's goes live at once), with the author's
    statement (`terms`: own work, the current licence, the use of AI tools; see `terms`, which
    carries a resubmission's earlier statement over) and an optional `note` for the editors (kept
    with the revision and shown in the conversation). Raises ValidationError listing what is
    missing, TransitionNotAllowed, or PermissionDenied; writes nothing then."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
        if locked.author_id != by.pk:
            raise PermissionDenied(_("Only the author can submit this article."))
        if not locked.is_editable_by_author:
            raise lifecycle.TransitionNotAllowed(locked, Action.SUBMIT)
        problems = submission_problems(locked)
        if problems:
            raise ValidationError(problems, code="incomplete")
        statement = submission_terms.check(locked, terms)
        if not locked.slug:
            locked.slug = _unique_slug(locked.title, locked.pk)
            locked.save(update_fields=["slug"])
        action = Action.AUTO_PUBLISH if by.is_trusted else Action.SUBMIT
        submitted = lifecycle.transition(
            article, action, by=by, revision_kind=Revision.Kind.SUBMISSION, message=note
        )
        revision = submitted.revisions.order_by("-number").first()
        assert revision is not None  # the transition wrote it
        submission_terms.record(submitted, revision, statement, by=by)
        submitted.ai_use = statement.ai_use
        return submitted


def withdraw_submission(*, article: Article, by: User) -> Article:
    return lifecycle.transition(article, Action.WITHDRAW_SUBMISSION, by=by)


def withdraw_article(*, article: Article, by: User) -> Article:
    return lifecycle.transition(article, Action.WITHDRAW, by=by)


def reopen_article(*, article: Article, by: User) -> Article:
    return lifecycle.transition(article, Action.REOPEN, by=by)


def publish_article(
    *, article: Article, by: User, at: datetime.datetime | None = None, message: str = ""
) -> Article:
    """Publish a submission now, or at `at` (readers see it from then; no job has to run)."""
    if at is not None and timezone.is_naive(at):
        raise ValueError("Publication times must be timezone-aware.")
    problems = picture_problems(Article.objects.select_related("header_image").get(pk=article.pk))
    if problems:
        raise ValidationError(problems, code="pictures")
    return lifecycle.transition(article, Action.PUBLISH, by=by, published_at=at, message=message)


def request_changes(*, article: Article, by: User, message: str) -> Article:
    return lifecycle.transition(article, Action.REQUEST_CHANGES, by=by, message=message)


def reject_article(*, article: Article, by: User, reason: str) -> Article:
    return lifecycle.transition(article, Action.REJECT, by=by, message=reason)


def take_down_article(*, article: Article, by: User, reason: str) -> Article:
    return lifecycle.transition(article, Action.TAKE_DOWN, by=by, message=reason)


@transaction.atomic
def delete_draft(*, article: Article, by: User) -> None:
    """Delete a draft its author never submitted, with every copy of it: the row and what hangs on
    it, its entry in the search index (none is expected; made sure of), and the pictures the
    author uploaded for it that no other article shows (rows, files and variants). No public page
    or cache ever held a draft. Refuses with PermissionDenied for anyone but the author and
    ValidationError once it has been submitted (the editors have seen it: it stays on record);
    nothing is deleted then."""
    from podium.images.cleanup import delete_unused_now

    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.author_id != by.pk:
        raise PermissionDenied(_("Only the author can delete this draft."))
    if not is_deletable_draft(locked):
        raise ValidationError(
            _("Only a draft that was never submitted can be deleted."), code="not_deletable"
        )
    own = [image.pk for image in locked.pictures() if image.uploaded_by_id == by.pk]
    pk = locked.pk
    locked.delete()
    search.reindex_articles([pk])  # removes an entry, should one exist
    # Not left for the orphan sweep's grace period: the author asked for it to be gone.
    delete_unused_now(own)


def is_deletable_draft(article: Article) -> bool:
    """A draft that never reached the editors: no submission, no revision, no event."""
    return (
        article.state == Article.State.DRAFT
        and article.submitted_at is None
        and not article.revisions.exists()
        and not article.events.exists()
    )


@transaction.atomic
def edit_article(
    *, article: Article, by: User, text: ArticleText, expected_version: int, note: str = ""
) -> Article:
    """An editor's edit of a submitted or published article: the text is saved here and the step
    goes into the article's history through the lifecycle's writer (`lifecycle.record`: a
    revision, the index, an event, the author told what changed, readers shown the new text).
    Refuses with StaleVersion on a concurrent edit."""
    if not by.is_editor:
        raise PermissionDenied(_("Only editors can edit someone else's article."))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.state not in (Article.State.SUBMITTED, Article.State.PUBLISHED):
        raise lifecycle.TransitionNotAllowed(locked, Action.EDITOR_EDIT)
    if expected_version != locked.version:
        raise StaleVersion(locked)
    related_before = related.inputs(locked)
    figures = _apply_text(locked, text, by=by)
    _follow_title(locked)
    if locked.char_count > article_rules.BODY_MAX_CHARS:
        raise ValidationError(
            _("The text has %(count)s characters; the limit is %(limit)s.")
            % {"count": locked.char_count, "limit": article_rules.BODY_MAX_CHARS},
            code="too_long",
        )
    locked.version += 1
    locked.save()
    if figures is not None:
        locked.figure_images.set(figures)
    if text.topics is not None:
        locked.topics.set(list(text.topics)[:MAX_TOPICS])
    lifecycle.record(
        locked,
        Action.EDITOR_EDIT,
        by=by,
        from_state=locked.state,
        message=clean_text(note, keep_lines=True),
        revision_kind=Revision.Kind.EDITOR_EDIT,
        related_inputs_changed=related.inputs(locked) != related_before,
    )
    return locked


def store_imported_pictures(*, by: User, result: ImportResult) -> ImportResult:
    """Store the pictures of an imported Word document as `by`'s pictures, through the checks
    and the cleaning an upload gets, and put Podium's figure markup where each stood. Word's
    description (else its title) becomes the alt text; a picture without one, or with a file
    name or Word's own guess for one, is flagged for review (see `checks.alt_text_from_word`), and
    without alt text it keeps the article from being published until someone writes it or marks
    the picture as decorative. A picture the checks refuse is left out with a note saying why.
    Returns the result without picture bytes (ready for the session). Each picture is stored on
    its own: pictures of an import that is then cancelled are orphans, which the upkeep removes
    (`images.cleanup`)."""
    if not result.pictures:
        return result
    body = result.body_html
    notes = list(result.notes)
    stored = to_describe = 0
    for index, picture in enumerate(result.pictures):
        mark = picture_mark(index)
        if mark not in body:
            continue  # after the bio, where the site it was copied from put it
        try:
            clean = processing.clean_picture_bytes(picture.data, name=picture.name)
        except ValidationError as exc:
            notes.append(
                _("A picture from the document was left out: %(reason)s")
                % {"reason": " ".join(exc.messages)}
            )
            body = body.replace(mark, "")
            continue
        alt, needs_review = alt_text_from_word(picture.description or picture.title)
        if picture.is_decorative:
            alt, needs_review = "", False
        image = image_services.store_picture(
            by=by,
            picture=clean,
            details=image_services.ImageDetails(
                alt_text=alt, is_decorative=picture.is_decorative, caption=picture.caption
            ),
            needs_alt_review=needs_review,
        )
        stored += 1
        to_describe += not image.has_text_alternative
        body = body.replace(mark, figure_markup(image))
    return replace(
        result,
        body_html=PICTURE_MARKS.sub("", body),
        notes=notes,
        pictures=[],
        picture_count=result.picture_count + stored,
        pictures_to_describe=result.pictures_to_describe + to_describe,
    )


@transaction.atomic
def accept_suggestion(
    *, article: Article, by: User, proposed_by: User, body: str, expected_version: int
) -> ArticleEvent:
    """The author takes an editor's suggestion: `body` (the text with the suggestion applied, made
    by `podium.annotations`) becomes the article's text, kept as a revision made by the author and
    proposed by the editor (through `lifecycle.record`, with its event), so the word diff shows
    exactly what it changed. The author or a co-author, while the text is theirs to edit
    (`lifecycle.Permission.EDIT_TEXT`: a draft or a piece whose changes were requested). Raises
    PermissionDenied, TransitionNotAllowed or StaleVersion (the text changed since `body` was
    made from it); nothing is written then. Returns the event (its revision is the new version)."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not proposed_by.is_editor:
        raise PermissionDenied(_("Only editors can suggest changes."))
    lifecycle.check(locked, lifecycle.Permission.EDIT_TEXT, by=by)
    if expected_version != locked.version:
        raise StaleVersion(locked)
    figures = _apply_text(locked, ArticleText(locked.title, locked.lead, body), by=by)
    locked.version += 1
    locked.save()
    if figures is not None:
        locked.figure_images.set(figures)
    return lifecycle.record(
        locked,
        Action.SUGGESTION_ACCEPTED,
        by=by,
        from_state=locked.state,
        revision_kind=Revision.Kind.SUGGESTION,
        proposed_by=proposed_by,
    )


@transaction.atomic
def import_article(
    *,
    by: User,
    result: ImportResult,
    article: Article | None = None,
    expected_version: int | None = None,
    topics: Sequence[Topic] | None = None,
) -> Article:
    """Store an imported text (see `importing`) as a new draft of `by`, or as the new text of
    `article` (the author's, editable: a draft or a piece whose changes were requested). A title or
    lead the import did not find keeps the article's own. When the import found an "Over de auteur"
    text and the profile has none, it becomes the profile's bio if it passes the profile's rules
    (plain text; no web addresses for a new contributor), else it is left out. Raises what `save_draft` raises
    (PermissionDenied, TransitionNotAllowed, StaleVersion, ValidationError); nothing is written then.
    """
    from podium.accounts.rules import clean_bio
    from podium.accounts.services import update_profile

    result = store_imported_pictures(by=by, result=result)
    current = Article.objects.get(pk=article.pk) if article is not None else None
    text = ArticleText(
        title=result.title or (current.title if current else ""),
        lead=result.lead or (current.lead if current else ""),
        body=result.body_html,
        topics=topics,
    )
    saved = save_draft(by=by, text=text, article=article, expected_version=expected_version)
    if result.bio and not by.bio.strip():
        try:
            bio = clean_bio(result.bio, user=by)
        except ValidationError:
            bio = ""  # the import's summary (views_import) tells the contributor why
        if bio:
            update_profile(user=by, by=by, data={"bio": bio})
    return saved
