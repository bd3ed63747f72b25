from __future__ import annotations

from typing import Any, Self

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from podium.articles import rules as article_rules
from podium.topics.models import Topic

from .models import Article, Licence, SubmissionTerms
from .sanitize import count_characters, has_html_tags, plain_text_to_html, sanitize_html
from .services import MAX_TOPICS, ArticleText
from .terms import Terms


class ArticleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=article_rules.TITLE_MAX_CHARS,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    lead = forms.CharField(
        label=_("Lead"),
        max_length=article_rules.LEAD_MAX_CHARS,
        required=False,
        help_text=_("One or two sentences that pull the reader in."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 20})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        help_text=_("Choose one to three."),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        require_complete: bool = False,
        enforce_limit: bool = True,
        require_version: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.require_complete = require_complete
        # A save of a stored draft must say which version it was typed on; without it the save
        # could overwrite newer work unseen (services.save_draft checks the version it is given).
        self.require_version = require_version
        # Autosave keeps whatever was typed, even over the limit: the limit stops saving from the
        # form and submitting, never the safety net.
        self.enforce_limit = enforce_limit
        self.fields["title"].widget.attrs["maxlength"] = article_rules.TITLE_MAX_CHARS
        self.fields["lead"].widget.attrs["maxlength"] = article_rules.LEAD_MAX_CHARS

    @classmethod
    def for_article(cls, article: Article) -> Self:
        """The unbound form showing the stored article, for the author's and the editors' edit
        pages alike; its version is the one a save must be typed on."""
        return cls(
            initial={
                "title": article.title,
                "lead": article.lead,
                "body": article.body,
                "topics": list(article.topics.all()),
                "version": article.version,
            }
        )

    def clean_body(self) -> str:
        raw = self.cleaned_data["body"]
        if raw and not has_html_tags(raw):
            # Typed without the editor (no JavaScript): keep the author's paragraphs and line breaks.
            raw = plain_text_to_html(raw)
        body = sanitize_html(raw)
        limit = article_rules.BODY_MAX_CHARS
        count = count_characters(body)
        if self.enforce_limit and count > limit:
            raise ValidationError(
                ngettext(
                    "The text has %(count)s character; the limit is %(limit)s.",
                    "The text has %(count)s characters; the limit is %(limit)s. Shorten it by %(over)s.",
                    count,
                )
                % {"count": count, "limit": limit, "over": count - limit},
                code="too_long",
            )
        if self.require_complete and not count:
            raise ValidationError(_("Write the text of your article."), code="required")
        return body

    def clean_topics(self) -> Any:
        topics = self.cleaned_data["topics"]
        if len(topics) > MAX_TOPICS:
            raise ValidationError(_("Choose at most three topics."), code="too_many")
        if self.require_complete and not topics:
            raise ValidationError(_("Choose at least one topic."), code="required")
        return topics

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if self.require_complete and not title:
            raise ValidationError(_("Give your article a title."), code="required")
        return title

    def clean_lead(self) -> str:
        lead = " ".join(self.cleaned_data["lead"].split())
        if self.require_complete and not lead:
            raise ValidationError(_("Write a lead of one or two sentences."), code="required")
        return lead

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.require_version and cleaned.get("version") is None:
            raise ValidationError(VERSION_REQUIRED, code="version_required")
        return cleaned

    def article_text(self) -> ArticleText:
        data = self.cleaned_data
        return ArticleText(
            title=data["title"], lead=data["lead"], body=data["body"], topics=list(data["topics"])
        )


VERSION_REQUIRED = _(
    "Not saved: this page did not say which version of the draft it shows, so saving could overwrite newer work. Reload the page and make your change again; copy your text first."
)


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the author"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Write a message for the author.")},
    )


class ConversationForm(forms.Form):
    """A message in the article's conversation (or, on the desk, an internal note)."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        max_length=4000,
        error_messages={"required": _("Write a message first.")},
    )


class InternalNoteForm(ConversationForm):
    """An internal note on the desk: the same field, named for what it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Internal note (only the editors see it)")


class ResubmitForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the editors (optional)"),
        help_text=_("What did you change? The editors read it with your new version."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
        max_length=4000,
        required=False,
    )


class TermsForm(forms.Form):
    """The author's statement at submission (see `terms`). It sits in the article's form, which
    also saves drafts: the browser must not insist on it, the submission does."""

    use_required_attribute = False

    is_own_work = forms.BooleanField(
        label=_("This text is my own work."),
        error_messages={"required": _("Confirm that the text is your own.")},
    )
    grants_licence = forms.BooleanField(
        label=_("I grant Podium the licence above: online, in the newsletter and in print."),
        error_messages={"required": _("Grant Podium the licence to publish the text.")},
    )
    licence_version = forms.IntegerField(widget=forms.HiddenInput)
    ai_use = forms.ChoiceField(
        label=_("Did you use AI tools for this text?"),
        choices=SubmissionTerms.AiUse.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you used AI tools.")},
    )
    ai_explanation = forms.CharField(
        label=_("How did you use them?"),
        help_text=_("A sentence or two; needed unless you used none."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        max_length=500,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        use = data.get("ai_use")
        if use and use != SubmissionTerms.AiUse.NONE and not data.get("ai_explanation", "").strip():
            self.add_error("ai_explanation", _("Explain briefly how you used AI tools."))
        return data

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            is_own_work=data["is_own_work"],
            grants_licence=data["grants_licence"],
            licence_version=data["licence_version"],
            ai_use=data["ai_use"],
            ai_explanation=data.get("ai_explanation", ""),
        )

    @classmethod
    def for_article(cls, licence: Licence, data: Any = None) -> TermsForm:
        """Bound to `data`, or empty for the current licence: the author answers afresh (a
        resubmission that leaves it empty carries the earlier statement over)."""
        if data is not None:
            return cls(data)
        return cls(initial={"licence_version": licence.version})


class InviteCoAuthorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of your co-author"),
        max_length=254,
        help_text=_("They get an e-mail with a link to accept; no account is needed to start."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        initial="nl",
        help_text=_("For someone without an account; members read it in the language they chose."),
    )


class PreviewLinkForm(forms.Form):
    label = forms.CharField(
        label=_("For whom"),
        max_length=100,
        required=False,
        help_text=_("Only for you, e.g. “juridische afdeling”. The reader does not see it."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=article_rules.PREVIEW_LINK_MAX_DAYS,
        initial=article_rules.PREVIEW_LINK_DAYS,
    )
