"""Background work for pictures. Tasks take ids, reload the row and call a service."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def make_image_variants(image_id: int) -> bool:
    return services.generate_variants(image_id)
