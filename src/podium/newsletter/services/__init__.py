"""Writes on the newsletter, one module per subject:

- `subscribers`: subscribing (anonymously or as a member), confirming, leaving, coming back, the
  suppressions a mail provider reports;
- `csv_import`: subscribers from another system (only rows with a recorded consent) and the
  export in the same columns;
- `editions`: composing, test sends, scheduling and starting the send (the sending itself is
  `podium.newsletter.sending`), a former author leaving sent editions.

Every write is a named function with keyword-only arguments; editor actions take the acting user
as `by=` and check the role themselves. Callers import this package (`services.subscribe(...)`);
the names below are its interface."""

from .csv_import import IMPORT_COLUMNS, ImportReport, export_rows, import_subscribers
from .editions import (
    add_item,
    create_edition,
    edition_items,
    forget_author,
    move_item,
    remove_item,
    schedule_edition,
    send_test,
    sending_problems,
    start_due_editions,
    start_sending,
    unschedule_edition,
    update_edition,
)
from .subscribers import (
    CONFIRMATION_RESEND_AFTER,
    CONSENT_TEXT,
    RESUBSCRIBE_TEXT,
    confirm,
    resubscribe,
    subscribe,
    subscribe_user,
    subscriber_for_unsubscribe_token,
    subscription_of,
    suppress,
    unsubscribe,
    unsubscribe_user,
)

__all__ = [
    "CONFIRMATION_RESEND_AFTER",
    "CONSENT_TEXT",
    "IMPORT_COLUMNS",
    "RESUBSCRIBE_TEXT",
    "ImportReport",
    "add_item",
    "confirm",
    "create_edition",
    "edition_items",
    "export_rows",
    "forget_author",
    "import_subscribers",
    "move_item",
    "remove_item",
    "resubscribe",
    "schedule_edition",
    "send_test",
    "sending_problems",
    "start_due_editions",
    "start_sending",
    "subscribe",
    "subscribe_user",
    "subscriber_for_unsubscribe_token",
    "subscription_of",
    "suppress",
    "unschedule_edition",
    "unsubscribe",
    "unsubscribe_user",
    "update_edition",
]
