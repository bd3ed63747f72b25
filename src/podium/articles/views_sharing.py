"""Sharing an article: co-authors (invite, answer, leave, remove) and preview links for readers
without an account (create, revoke). The rules are in `coauthors`, `previews` and the lifecycle's
permission table; these views only fetch, validate, call and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.core import refusals

from . import coauthors, lifecycle, previews
from .forms import InviteCoAuthorForm, PreviewLinkForm
from .models import CoAuthor, PreviewLink
from .selectors import get_article_for_writer

Refusal = (PermissionDenied, ValidationError, lifecycle.TransitionNotAllowed)


def _one_of[Row: Model](rows: QuerySet[Row], pk: int) -> Row:
    """The row `pk` among `rows` (the article's co-authors or preview links), or the 404 page."""
    try:
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def coauthor_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """The article's co-authors and invitations; the author invites here."""
    article = get_article_for_writer(request.user, pk)
    form = InviteCoAuthorForm(initial={"language": get_language() or "nl"})
    if request.method == "POST":
        form = InviteCoAuthorForm(request.POST)
        if form.is_valid():
            try:
                coauthors.invite_coauthor(
                    article=article,
                    by=request.user,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except (PermissionDenied, lifecycle.TransitionNotAllowed) as exc:
                refusals.show(request, exc)
                return redirect("articles:coauthors", pk=article.pk)
            except ValidationError as exc:
                refusals.to_form(form, exc, field="email" if exc.code == "own_address" else None)
            else:
                messages.success(
                    request,
                    _("The invitation has been sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("articles:coauthors", pk=article.pk)
    return render(
        request,
        "articles/coauthors.html",
        {
            "article": article,
            "rows": coauthors.coauthors_of(article),
            "form": form,
            "may_invite": lifecycle.may(
                article, lifecycle.Permission.INVITE_COAUTHOR, request.user
            ),
            "may_remove": lifecycle.may(
                article, lifecycle.Permission.REMOVE_COAUTHOR, request.user
            ),
            "may_leave": lifecycle.may(article, lifecycle.Permission.LEAVE, request.user),
        },
    )


@login_required
@require_POST
def coauthor_remove(request: SignedInRequest, pk: int, row: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)
    coauthor = _one_of(CoAuthor.objects.filter(article=article), row)
    refusals.attempt(
        request,
        lambda: coauthors.remove_coauthor(coauthor=coauthor, by=request.user),
        _("Done: %(email)s is no longer in the byline or invited.") % {"email": coauthor.email},
        refused=Refusal,
    )
    return redirect("articles:coauthors", pk=article.pk)


@login_required
@require_POST
def coauthor_leave(request: SignedInRequest, pk: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)
    if refusals.attempt(
        request,
        lambda: coauthors.leave_article(article=article, by=request.user),
        _("You are no longer a co-author of “%(title)s”.") % {"title": article.title},
        refused=Refusal,
    ):
        return redirect("articles:dashboard")
    return redirect("articles:coauthors", pk=article.pk)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page the invitation e-mail links to. Anyone with the link may see whose invitation it
    is and decline it; accepting needs the account of the invited address (signing up with it
    first, when there is none)."""
    row = coauthors.invitation_from_token(token)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept" and user is not None:
                coauthors.accept_invitation(invitation=row, by=user)  # type: ignore[arg-type]
                messages.success(
                    request,
                    _("You are now a co-author of “%(title)s”.") % {"title": row.article.title},
                )
                return redirect("articles:dashboard")
            if answer == "decline":
                coauthors.decline_invitation(invitation=row, by=user)  # type: ignore[arg-type]
                messages.success(request, _("You have declined the invitation."))
        except Refusal as exc:
            refusals.show(request, exc)
        return redirect(request.path)
    return render(
        request,
        "articles/invitation.html",
        {
            "row": row,
            "article": row.article,
            "is_addressee": user is not None and coauthors.is_addressee(row, user),
            "next": request.path,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview_links(request: SignedInRequest, pk: int) -> HttpResponse:
    """The article's preview links, with when each was opened; a new one is made here and its
    address shown this once."""
    article = get_article_for_writer(request.user, pk)
    form = PreviewLinkForm(initial={"days": PreviewLinkForm.base_fields["days"].initial})
    new_link = None
    if request.method == "POST":
        form = PreviewLinkForm(request.POST)
        if form.is_valid():
            try:
                made = previews.create_preview_link(
                    article=article,
                    by=request.user,
                    label=form.cleaned_data["label"],
                    days=form.cleaned_data["days"],
                )
            except (PermissionDenied, lifecycle.TransitionNotAllowed) as exc:
                refusals.show(request, exc)
                return redirect("articles:preview_links", pk=article.pk)
            except ValidationError as exc:
                refusals.to_form(form, exc)
            else:
                new_link = request.build_absolute_uri(
                    reverse(
                        "shared:preview",
                        kwargs={"token": made.token, "number": made.link.revision.number},
                    )
                )
                form = PreviewLinkForm(initial={"days": form.cleaned_data["days"]})
    response = render(
        request,
        "articles/preview_links.html",
        {
            "article": article,
            "links": previews.preview_links_of(article),
            "form": form,
            "new_link": new_link,
            "may_create": lifecycle.may(
                article, lifecycle.Permission.CREATE_PREVIEW_LINK, request.user
            ),
        },
    )
    # The new link is shown once: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def preview_link_revoke(request: SignedInRequest, pk: int, link: int) -> HttpResponse:
    article = get_article_for_writer(request.user, pk)
    row = _one_of(PreviewLink.objects.filter(article=article), link)
    refusals.attempt(
        request,
        lambda: previews.revoke_preview_link(link=row, by=request.user),
        _("The link no longer works."),
        refused=Refusal,
    )
    return redirect("articles:preview_links", pk=article.pk)


@require_GET
def shared_preview(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """One version of an article, read-only, for whoever holds the link. Never cached or indexed;
    any link that does not open (see `previews.open_preview_link`) is the site's ordinary 404."""
    link = previews.open_preview_link(token, number)
    article, revision = link.article, link.revision
    response = render(
        request,
        "articles/shared_preview.html",
        {
            "link": link,
            "article": article,
            "revision": revision,
            "authors": article.authors,
            "figures": article.figure_images.all(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer header
    return response
