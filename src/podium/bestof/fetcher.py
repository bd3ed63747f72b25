"""WeasyPrint's only way to files: local files under a few folders, nothing from the network."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    pass


class LocalFetcher(URLFetcher):
    """Serves `file:` URLs below `roots` and refuses everything else (recorded in `refused`), so
    a compilation never waits on, or leaks to, another server."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            self.refused.append(url)
            raise RefusedURL(f"Compilations are rendered from local files only: {url[:200]}")
        path = Path(url2pathname(parsed.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            self.refused.append(url)
            raise RefusedURL(f"Not a file Podium may use: {path}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})
