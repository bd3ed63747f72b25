"""The site's own address (SITE_URL) and the `sites` row that allauth reads it from.

Every absolute link Podium writes (e-mails, the newsletter, feeds, canonical links) starts with
SITE_URL. allauth builds the links in its own e-mails from the request, or from the `sites` row when
there is no request; that row is brought in line with SITE_URL after every `migrate` and when
`podium serve` starts, so both agree on one address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings


def url_for_bind(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server bound to host:port."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (a bind address, not a bind)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def sync_site(url: str | None = None) -> None:
    """Set the current `sites` row's domain to the host (and port) of url, SITE_URL by default."""
    from django.contrib.sites.models import Site

    domain = urlsplit(url or settings.SITE_URL).netloc
    if domain:
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "Podium"}
        )
        Site.objects.clear_cache()


def sync_site_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Sent once per app: act once, after the `sites` app's own post-migrate work.
    if getattr(sender, "label", "") == "sites" and kwargs.get("using", "default") == "default":
        sync_site()
