"""Bad input: each kind gets its own friendly error, nothing is created and a draft stays as it was."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import translation

from podium.accounts.models import User
from podium.articles import rules as article_rules
from podium.articles.importing import ImportRejected, import_file, import_text
from tests.articles import import_samples as samples
from tests.podium_helpers import ArticleBuilder, nothing_written


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Assert against the English source strings, whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


PNG_BYTES = samples.png().getvalue()

# (file name, contents, error code, a distinctive part of the message)
BAD_FILES: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("leeg.txt", lambda: b"", "empty", "The file is empty."),
    ("leeg.md", lambda: b"  \r\n\t\n", "empty", "The file is empty."),
    ("leeg.docx", lambda: b"", "empty", "The file is empty."),
    ("alleen-bom.txt", lambda: b"\xef\xbb\xbf\n\n", "empty", "The file is empty."),
    ("foto.txt", lambda: PNG_BYTES, "not_text", "This is an image, not a text file."),
    (
        "rapport.txt",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "not_text",
        "This is a PDF file",
    ),
    (
        "programma.txt",
        lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
        "not_text",
        "This is not a text file.",
    ),
    (
        "ruis.md",
        lambda: bytes(range(1, 32)) * 20 + b"tekst",
        "not_text",
        "This is not a text file.",
    ),
    ("half.docx", samples.corrupt_docx, "corrupt", "This Word document is damaged"),
    ("beschadigd.docx", samples.damaged_member_docx, "corrupt", "This Word document is damaged"),
    ("geheim.docx", samples.encrypted_docx, "encrypted", "protected with a password"),
    ("oud.docx", samples.old_doc, "old_word", "old Word document (.doc)"),
    ("bom.docx", samples.zip_bomb_docx, "zip_bomb", "unpacks to far more than an article can hold"),
    # Under the total limit, but 4 MB of nothing squeezed into a few kilobytes.
    (
        "ratio.docx",
        lambda: samples.zip_bomb_docx(4 * 1024 * 1024),
        "zip_bomb",
        "unpacks to far more",
    ),
    (
        "veel.docx",
        lambda: _zip({f"word/media/{i}.xml": b"x" for i in range(1200)}),
        "zip_bomb",
        "unpacks to far more",
    ),
    (
        "tekst.docx",
        lambda: b"Gewoon tekst met een verkeerde naam.",
        "not_docx",
        "not a Word document",
    ),
    (
        "archief.docx",
        lambda: _zip({"foto.jpg": b"jpeg"}),
        "not_docx",
        "a zip archive but not a Word document",
    ),
    (
        "libre.docx",
        lambda: _zip({"mimetype": b"x", "content.xml": b"<x/>"}),
        "not_docx",
        "OpenDocument",
    ),
    ("oud.doc", lambda: samples.old_doc(), "unsupported", "old Word document (.doc)"),
    ("rapport.pdf", lambda: b"%PDF-1.7", "unsupported", "PDF files cannot be imported"),
    (
        "foto.png",
        lambda: PNG_BYTES,
        "unsupported",
        "Podium can import Word documents (.docx) and text files",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "code", "message"), BAD_FILES, ids=[case[0] for case in BAD_FILES]
)
def test_each_bad_file_gets_its_own_specific_error(
    name: str, make: Callable[[], bytes], code: str, message: str
) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_file(name, make())

    assert caught.value.code == code
    assert message in caught.value.message


def test_a_docx_with_only_images_has_nothing_to_import() -> None:
    import docx

    document = docx.Document()
    document.add_picture(samples.png())

    with pytest.raises(ImportRejected) as caught:
        import_file("plaatje.docx", samples.docx_bytes(document))

    assert caught.value.code == "empty"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setattr(article_rules, "IMPORT_MAX_BYTES", 2048)

    with pytest.raises(ImportRejected) as caught:
        import_file("lang.txt", b"Tekst. " * 400)

    assert caught.value.code == "too_large"
    assert caught.value.message == (
        f"The file is {filesizeformat(2800)}; at most {filesizeformat(2048)} can be imported. Save the "
        "article on its own, without images, and try again."
    )


@pytest.mark.parametrize("pasted", ["", "   \n\t  \n"])
def test_pasting_nothing_is_refused(pasted: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_text(pasted)

    assert caught.value.code == "empty"


# --- Through the pages: nothing is created, the draft is untouched, the error is at the field --------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "code", "message"),
    [
        case
        for case in BAD_FILES
        if case[0] in ("leeg.txt", "foto.txt", "half.docx", "geheim.docx", "bom.docx", "oud.doc")
    ],
    ids=["empty", "binary", "corrupt", "encrypted", "zip-bomb", "doc"],
)
def test_a_bad_file_creates_no_draft_and_shows_the_error_at_the_file_field(
    contributor_client: Client, name: str, make: Callable[[], bytes], code: str, message: str
) -> None:
    with nothing_written():
        response = contributor_client.post(
            reverse("articles:import_new"), {"file": _upload(name, make())}
        )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert message in errors["file"][0]
    assert 'id="id_file_error"' in response.content.decode()


@pytest.mark.django_db
def test_a_bad_file_leaves_the_current_draft_untouched(
    contributor: User, contributor_client: Client, make_article: ArticleBuilder
) -> None:
    article = make_article(contributor)
    url = reverse("articles:import_into", args=[article.pk])

    with nothing_written(article):
        response = contributor_client.post(
            url, {"file": _upload("geheim.docx", samples.encrypted_docx())}
        )

    assert response.status_code == 200
    assert "protected with a password" in response.context["form"].errors["file"][0]
    assert "podium_import_pending" not in contributor_client.session


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_at_the_field(
    monkeypatch: pytest.MonkeyPatch, contributor_client: Client, settings: Any
) -> None:
    monkeypatch.setattr(article_rules, "IMPORT_MAX_BYTES", 1024)

    with nothing_written():
        response = contributor_client.post(
            reverse("articles:import_new"), {"file": _upload("lang.txt", b"x. " * 1000)}
        )

    assert (
        f"at most {filesizeformat(1024)} can be imported"
        in response.context["form"].errors["file"][0]
    )


@pytest.mark.django_db
def test_what_was_pasted_stays_in_the_form_when_there_is_an_error(
    contributor_client: Client,
) -> None:
    pasted = "Mijn titel\n\nMijn lead & meer."

    with nothing_written():
        response = contributor_client.post(
            reverse("articles:import_new"), {"file": _upload("a.txt", b"Tekst"), "text": pasted}
        )

    assert response.context["form"].errors["text"] == [
        "Choose a file or paste text, not both. Empty this field to import the file."
    ]
    assert "Mijn titel\n\nMijn lead &amp; meer.</textarea>" in response.content.decode()


@pytest.mark.django_db
def test_submitting_an_empty_form_asks_for_a_file_or_text(contributor_client: Client) -> None:
    with nothing_written():
        response = contributor_client.post(reverse("articles:import_new"), {"text": "   "})

    assert response.context["form"].errors == {"file": ["Choose a file, or paste your text below."]}
