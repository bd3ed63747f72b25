from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from podium.accounts.models import User
from podium.images import services
from podium.images.models import Image

from .pictures import photo, upload


def stored_files() -> list[str]:
    """Every file under the media storage's images/ folder (relative names)."""
    root = Path(settings.MEDIA_ROOT) / "images"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def make_image(contributor: User, django_capture_on_commit_callbacks: Any) -> Callable[..., Image]:
    """Upload a picture through the real service and run its variants task (as the worker would)."""

    def make(
        by: User | None = None,
        data: bytes | None = None,
        name: str = "foto.jpg",
        **details: Any,
    ) -> Image:
        values = {"alt_text": "Een grafiek van de arbeidsmarkt in 2026"} | details
        with django_capture_on_commit_callbacks(execute=True):
            image = services.upload_image(
                by=by or contributor,
                upload=upload(data if data is not None else photo(480, 360), name),
                details=services.ImageDetails(**values),
            )
        image.refresh_from_db()
        return image

    return make
