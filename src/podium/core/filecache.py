"""Django's file-based cache, fit for many entries: the embedded set-up's shared caches.

Django's `FileBasedCache` lists its whole directory on every `set()` to decide whether to cull,
and culls by deleting a random third of the files. With tens of thousands of entries (a page or a
list of related articles per article) the listing costs tens of milliseconds on every cache miss,
and a cull may delete any key, including the page cache's generation, which would silently throw
away every cached page. This backend counts the files only on a sample of the writes (about one in
``CULL_CHECK_EVERY``, so the directory may briefly hold a few more than ``MAX_ENTRIES`` files) and
never culls the keys listed in ``OPTIONS["KEEP"]``.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    # Set or defined by FileBasedCache; its type stubs leave the private ones out.
    _dir: str
    _key_to_file: Callable[..., str]
    _delete: Callable[[str], None]

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        keep = options.pop("KEEP", ())
        self.cull_check_every = max(1, int(options.pop("CULL_CHECK_EVERY", 50)))
        super().__init__(dir, {**params, "OPTIONS": options})
        self._kept_files = frozenset(self._key_to_file(key) for key in keep)

    def _cull(self) -> None:
        if self.cull_check_every > 1 and random.randrange(self.cull_check_every):
            return
        with os.scandir(self._dir) as entries:
            files = [
                entry.path
                for entry in entries
                if entry.name.endswith(self.cache_suffix) and entry.path not in self._kept_files
            ]
        if len(files) < self._max_entries:
            return
        if self._cull_frequency == 0:
            doomed = files
        else:
            doomed = random.sample(files, len(files) // self._cull_frequency)
        for fname in doomed:
            self._delete(fname)
