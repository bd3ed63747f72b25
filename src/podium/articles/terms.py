"""The terms of a submission: the author confirms the text is their own, grants the magazine the
licence the editors wrote (online, newsletter, print) and states how AI tools were used.

- The licence is versioned (`Licence`): the editors' edit writes the next version; a submission
  agrees to the newest one, and is refused when the author read an older one meanwhile.
- The statement is recorded with the revision it applies to (`SubmissionTerms`), and the AI
  statement also on the article, for the line readers see when parts were generated.
- A resubmission without a new statement carries the previous one over, as long as it was made
  for the licence that is current; otherwise the author states it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.accounts.roles import editors_only

from .models import Article, Licence, Revision, SubmissionTerms
from .sanitize import clean_text

AiUse = SubmissionTerms.AiUse
EXPLANATION_MAX_CHARS = 500


@dataclass(frozen=True)
class Terms:
    """What the author states with a submission (the submission form's answers)."""

    is_own_work: bool
    licence_version: int  # the version the author was shown and agrees to
    ai_use: str
    ai_explanation: str = ""
    grants_licence: bool = True


def current_licence() -> Licence:
    licence = Licence.objects.order_by("-version").first()
    if licence is None:  # migration 0012 writes the first one
        raise ValidationError(_("The editors have not set a licence yet."), code="no_licence")
    return licence


def licence_history() -> list[Licence]:
    return list(Licence.objects.select_related("created_by").order_by("-version"))


@editors_only(_("Only editors can change the licence."))
@transaction.atomic
def set_licence(*, text: str, by: User) -> Licence:
    """Write the next version of the licence (the earlier ones stay: submissions point at the one
    they agreed to). Raises PermissionDenied for anyone but an editor, ValidationError when the
    text is empty or unchanged."""
    text = clean_text(text, keep_lines=True)
    if not text:
        raise ValidationError(_("The licence needs a text."), code="empty")
    Licence.objects.select_for_update().order_by("-version").first()  # one editor at a time
    latest = Licence.objects.order_by("-version").first()
    if latest is not None and latest.text == text:
        raise ValidationError(_("This is the licence as it is now."), code="unchanged")
    number = (Licence.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    return Licence.objects.create(version=number, text=text, created_by=by)


def previous_terms(article: Article) -> SubmissionTerms | None:
    """The statement of the article's latest submission, if any."""
    return (
        SubmissionTerms.objects.filter(revision__article=article)
        .select_related("licence", "revision")
        .order_by("-revision__number")
        .first()
    )


def carried_over(article: Article | None) -> SubmissionTerms | None:
    """The earlier statement a resubmission of `article` keeps when the author states nothing
    new: the latest one, if it was made for the current licence."""
    if article is None or article.pk is None:
        return None
    earlier = previous_terms(article)
    if earlier is None or earlier.licence_id != current_licence().pk:
        return None
    return earlier


def check(article: Article, terms: Terms | None) -> Terms:
    """The statement this submission records: `terms` checked, or the previous one carried over.
    Raises ValidationError saying what is missing."""
    licence = current_licence()
    if terms is None:
        earlier = carried_over(article)
        if earlier is None:
            raise ValidationError(
                _(
                    "Confirm that the text is your own, grant Podium the licence and say whether "
                    "you used AI tools."
                ),
                code="terms",
            )
        return Terms(True, licence.version, earlier.ai_use, earlier.ai_explanation)
    problems = []
    if not terms.is_own_work:
        problems.append(_("Confirm that the text is your own."))
    if not terms.grants_licence:
        problems.append(_("Grant Podium the licence to publish the text."))
    if terms.licence_version != licence.version:
        problems.append(
            _("The editors changed the licence in the meantime: read it again and confirm.")
        )
    if terms.ai_use not in AiUse.values:
        problems.append(_("Say whether you used AI tools."))
    explanation = clean_text(terms.ai_explanation)[:EXPLANATION_MAX_CHARS]
    if terms.ai_use in (AiUse.AID, AiUse.GENERATED) and not explanation:
        problems.append(_("Explain briefly how you used AI tools."))
    if problems:
        raise ValidationError(problems, code="terms")
    return Terms(
        True, licence.version, terms.ai_use, explanation if terms.ai_use != AiUse.NONE else ""
    )


def record(article: Article, revision: Revision, terms: Terms, *, by: User) -> SubmissionTerms:
    """Keep `terms` (checked) with the submission's revision and the AI statement on the article.
    Call inside the submission's transaction."""
    recorded = SubmissionTerms.objects.create(
        revision=revision,
        licence=Licence.objects.get(version=terms.licence_version),
        is_own_work=terms.is_own_work,
        ai_use=terms.ai_use,
        ai_explanation=terms.ai_explanation,
        agreed_by=by,
        agreed_at=timezone.now(),
    )
    Article.objects.filter(pk=article.pk).update(ai_use=terms.ai_use)
    return recorded
