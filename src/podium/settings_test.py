"""Test settings: the production settings, made fast and self-contained."""

import os
import tempfile

os.environ.setdefault("PODIUM_EMBEDDED", "1")
os.environ.setdefault("PODIUM_VAR_DIR", tempfile.mkdtemp(prefix="podium-test-"))

from podium.settings import *  # noqa: F403
from podium.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405 - public media and private files as configured (local folders)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
# The page cache stays out of the way of tests that change rows directly; tests/core switches it on.
PODIUM_PAGE_CACHE = False
# Staff log in with force_login throughout the suite; the MFA tests switch the requirement on.
PODIUM_STAFF_MFA_REQUIRED = False
# One process per test worker: local memory is enough, and faster than files.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
if "sessions" in CACHES:
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sessions",
    }
