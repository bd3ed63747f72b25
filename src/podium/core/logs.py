"""Log filters. A refusal (403: a permission denied, a failed CSRF check) is an everyday answer,
not a fault: it is logged as one line, without the traceback Django attaches to it."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """Drops the traceback of 403 records and keeps the refusal's own words on the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = str(record.exc_info[1] or "")
            record.exc_info = None
            record.exc_text = None
            if reason:
                record.msg = f"{record.msg} ({reason.replace('%', '%%')})"
        return True
