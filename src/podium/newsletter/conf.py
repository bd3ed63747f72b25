"""The newsletter's settings with their defaults (settings.py reads them from the environment)."""

from __future__ import annotations

from django.conf import settings


def batch_size() -> int:
    return int(getattr(settings, "NEWSLETTER_BATCH_SIZE", 100))


def lease_seconds() -> int:
    """How long a claim holds; a crashed worker's deliveries are taken over after this."""
    return int(getattr(settings, "NEWSLETTER_LEASE_SECONDS", 120))


def send_rate() -> int:
    """Messages per minute for the whole edition, over all workers; 0 sends as fast as possible."""
    return int(getattr(settings, "NEWSLETTER_SEND_RATE", 0))


def parallel_tasks() -> int:
    return int(getattr(settings, "NEWSLETTER_PARALLEL_TASKS", 2))


def max_attempts() -> int:
    return int(getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 8))


def retry_base_seconds() -> int:
    return int(getattr(settings, "NEWSLETTER_RETRY_BASE_SECONDS", 30))


def bounce_limit() -> int:
    """Permanent failures after which an address gets no more editions."""
    return int(getattr(settings, "NEWSLETTER_BOUNCE_LIMIT", 2))


def idle_wait_seconds() -> float:
    """A worker waits this long in-process for retries that are almost due before handing over."""
    return float(getattr(settings, "NEWSLETTER_IDLE_WAIT_SECONDS", 15))


def confirm_max_age() -> int:
    return int(getattr(settings, "NEWSLETTER_CONFIRM_MAX_AGE", 3 * 24 * 3600))


def unsubscribe_max_age() -> int:
    return int(getattr(settings, "NEWSLETTER_UNSUBSCRIBE_MAX_AGE", 400 * 24 * 3600))


def data_link_max_age() -> int:
    """How long the link to a subscriber's own data works (seconds)."""
    return int(getattr(settings, "NEWSLETTER_DATA_LINK_MAX_AGE", 24 * 3600))


def signup_limit() -> tuple[int, int]:
    """(sign-ups, seconds) per client address."""
    return int(getattr(settings, "NEWSLETTER_SIGNUP_LIMIT", 5)), 3600


def from_email() -> str:
    return str(getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL)
