"""What a web process loads before its first page: podium.wsgi with the production settings, its
URLconf loaded and addresses reversed and resolved, as in a gunicorn worker after its first
request. Libraries only a few pages need stay out until those pages are asked for (issue #20,
worker RSS): fido2 and cryptography (allauth's second-factor pages, podium.accounts.mfa_urls),
boto3, botocore and requests (anymail's webhooks, podium.newsletter.webhooks), numpy (the
editors' assistant, podium.editorial.assistant), lxml (the compilations' books,
podium.bestof.book)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LATER = ["boto3", "botocore", "cryptography", "fido2", "lxml", "numpy", "requests"]


def test_a_web_process_leaves_the_heavy_libraries_of_a_few_pages_for_those_pages() -> None:
    code = (
        "import sys\n"
        "import podium.wsgi\n"
        "from django.urls import get_resolver, resolve, reverse\n"
        "get_resolver().reverse_dict\n"
        "reverse('account_login'), reverse('mfa_activate_totp'), reverse('mfa_add_webauthn')\n"
        "reverse('newsletter:signup'), resolve('/nieuwsbrief/esp/mailgun/tracking/')\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({LATER!r})))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podium.settings",
        "PODIUM_EMBEDDED": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-2000:]
