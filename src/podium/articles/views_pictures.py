"""Pictures of an article: the header image (upload, texts, focal point, remove) and the upload of
a picture for a figure in the text (the article editor inserts the figure it gets back)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from podium.accounts.http import SignedInRequest
from podium.images import services as image_services
from podium.images.forms import FocalPointForm, ImageDetailsForm, UploadForm
from podium.images.rendering import figure_markup

from . import lifecycle, services
from .models import Article
from .selectors import get_article_for_pictures


def _back_url(request: SignedInRequest, article: Article) -> str:
    """Where "back" leads: the page that linked here (`?next=`, e.g. the editors' review), else
    the author's editor or preview."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if request.user.pk == article.author_id and article.is_editable_by_author:
        return reverse("articles:edit", kwargs={"pk": article.pk})
    if request.user.pk == article.author_id:
        return reverse("articles:preview", kwargs={"pk": article.pk})
    return article.get_absolute_url() if article.is_live else "/"


def _page_url(request: SignedInRequest) -> str:
    """The header image page these views belong to, under Activiteiten or on the desk (the same
    views serve both: the desk's copy sits behind its second factor)."""
    marker = "/afbeelding/"
    return request.path[: request.path.index(marker) + len(marker)]


def _here(request: SignedInRequest, article: Article) -> str:
    back = _back_url(request, article)
    return f"{_page_url(request)}?{urlencode({'next': back})}"


def _page(
    request: SignedInRequest,
    article: Article,
    *,
    upload_form: UploadForm | None = None,
    details_form: ImageDetailsForm | None = None,
    focal_form: FocalPointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    image = article.header_image
    return render(
        request,
        "articles/header_image.html",
        {
            "article": article,
            "image": image,
            "upload_form": upload_form or UploadForm(),
            "details_form": details_form
            or (ImageDetailsForm(initial=ImageDetailsForm.initial_for(image)) if image else None),
            "focal_form": focal_form
            or (FocalPointForm(initial=FocalPointForm.initial_for(image)) if image else None),
            "back_url": _back_url(request, article),
            "page_url": _page_url(request),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def header_image(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    """GET: the article's header image and its editor. POST: upload a new header image."""
    article = get_article_for_pictures(request.user, pk, desk=desk)
    if request.method == "GET":
        return _page(request, article)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.check_header_image_permission(article, request.user)
            with transaction.atomic():
                image = image_services.store_picture(
                    by=request.user, picture=form.cleaned_data["file"], details=form.details()
                )
                services.set_header_image(article=article, by=request.user, image=image)
        except (PermissionDenied, lifecycle.TransitionNotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect(_back_url(request, article))
        else:
            messages.success(
                request, _("The header image is in place. Click in it to set the focal point.")
            )
            return redirect(_here(request, article))
    return _page(request, article, upload_form=form, status=400)


@login_required
@require_POST
def header_image_details(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    """Change the header image's texts and focal point (one form, so nothing typed is lost)."""
    article = get_article_for_pictures(request.user, pk, desk=desk)
    image = article.header_image
    if image is None:
        return redirect(_here(request, article))
    details_form = ImageDetailsForm(request.POST)
    focal_form = FocalPointForm(request.POST)
    if details_form.is_valid() and focal_form.is_valid():
        try:
            with transaction.atomic():
                image_services.update_image(
                    image=image, by=request.user, details=details_form.details()
                )
                image_services.set_focal_point(
                    image=image,
                    by=request.user,
                    x=focal_form.cleaned_data["focal_x"] / 100,
                    y=focal_form.cleaned_data["focal_y"] / 100,
                )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(_here(request, article))
        messages.success(request, _("The picture's details are saved."))
        return redirect(_here(request, article))
    return _page(request, article, details_form=details_form, focal_form=focal_form, status=400)


@login_required
@require_POST
def header_image_remove(request: SignedInRequest, pk: int, desk: bool = False) -> HttpResponse:
    article = get_article_for_pictures(request.user, pk, desk=desk)
    try:
        services.set_header_image(article=article, by=request.user, image=None)
    except (PermissionDenied, lifecycle.TransitionNotAllowed) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The header image is removed from the article."))
    return redirect(_here(request, article))


@login_required
@require_http_methods(["GET", "POST"])
def picture_details(
    request: SignedInRequest, pk: int, image_pk: int, desk: bool = False
) -> HttpResponse:
    """One of the article's pictures (a figure in the text, or the header image): its alt text,
    credit and licence. Where a picture from a Word import gets the alt text Word did not have.
    The author while the article is theirs to edit; editors on the desk once it is submitted."""
    article = get_article_for_pictures(request.user, pk, desk=desk)
    image = next((i for i in article.pictures() if i.pk == image_pk), None)
    if image is None:
        raise Http404
    is_header = image.pk == article.header_image_id
    form = ImageDetailsForm(request.POST or None, initial=ImageDetailsForm.initial_for(image))
    if not is_header:
        # A figure's caption is part of the text (its <figcaption>), not of this form.
        del form.fields["caption"]
    if request.method == "POST" and form.is_valid():
        try:
            services.check_picture_permission(article, request.user)
            details = form.details()
            image_services.update_image(
                image=image,
                by=request.user,
                details=details if is_header else replace(details, caption=image.caption),
            )
        except (PermissionDenied, lifecycle.TransitionNotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect(_back_url(request, article))
        messages.success(request, _("The picture's details are saved."))
        return redirect(_back_url(request, article))
    return render(
        request,
        "articles/picture_details.html",
        {
            "article": article,
            "image": image,
            "is_header": is_header,
            "form": form,
            "back_url": _back_url(request, article),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def figure_upload(request: SignedInRequest) -> JsonResponse:
    """Upload a picture for a figure in the text; answers with the figure's markup, which the
    article editor inserts at the cursor (and the sanitiser keeps when the text is saved)."""
    form = UploadForm(request.POST, request.FILES, prefix="figure")
    if form.is_valid():
        image = image_services.store_picture(
            by=request.user, picture=form.cleaned_data["file"], details=form.details()
        )
        return JsonResponse({"id": image.pk, "html": figure_markup(image)})
    return JsonResponse(
        {
            "error": _("The picture was not added: check the fields marked in red."),
            "fields": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
        },
        status=400,
    )
