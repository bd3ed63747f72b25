"""Text that is safe inside XML 1.0: feeds and sitemaps must parse even when a title carries a
control character pasted from elsewhere (Django's feed writer refuses those outright)."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production: C0 controls except tab/newline/return, lone
# surrogates, U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    return _NOT_XML_CHAR.sub("", str(value or ""))
