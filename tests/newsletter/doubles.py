"""Test doubles for the newsletter's fault tests: a mail server that refuses, drops or "dies"."""

from __future__ import annotations

import datetime
import re
import smtplib
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils import timezone


class Killed(BaseException):
    """Stands in for SIGKILL: nothing in the worker may catch it."""


@dataclass
class Server:
    """What the fake mail server does; tests set the knobs and read what it received."""

    refuse_every: int = 0  # every Nth attempt gets `refuse_code`
    refuse_code: int = 451
    drop_every: int = 0  # every Nth attempt: the connection drops before the server accepts
    kill_after_accepting: int = 0  # the worker dies right after the server accepted message N
    kill_before_sending: int = 0  # the worker dies before attempt N reaches the server
    permanent_for: set[str] = field(default_factory=set)  # addresses answered with 550
    attempts: int = 0
    accepted: list[Any] = field(default_factory=list)  # Received, in order
    opens: int = 0
    on_accept: Any = None  # callable(message) run after each acceptance
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    @property
    def message_ids(self) -> Counter[str]:
        return Counter(m.message_id for m in self.accepted)

    @property
    def duplicates(self) -> dict[str, int]:
        return {mid: n for mid, n in self.message_ids.items() if n > 1}


SERVER = Server()


@dataclass
class Received:
    to: list[str]
    message_id: str
    raw: bytes


_MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)


class FakeSMTP:
    """Stands in for smtplib.SMTP under Django's own SMTP backend."""

    def __init__(self, host: str = "", port: int = 0, **kwargs: Any) -> None:
        with SERVER.lock:
            SERVER.opens += 1
        self.open = True

    def starttls(self, **kwargs: Any) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        pass

    def quit(self) -> None:
        if not self.open:
            raise smtplib.SMTPServerDisconnected("already closed")
        self.open = False

    def close(self) -> None:
        self.open = False

    def sendmail(self, from_addr: str, to_addrs: list[str], msg: bytes) -> dict[str, Any]:
        if not self.open:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if isinstance(msg, str):
            msg = msg.encode()
        with SERVER.lock:
            SERVER.attempts += 1
            n = SERVER.attempts
        if SERVER.kill_before_sending and n == SERVER.kill_before_sending:
            raise Killed
        if SERVER.drop_every and n % SERVER.drop_every == 0:
            self.open = False
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if SERVER.refuse_every and n % SERVER.refuse_every == 0:
            raise smtplib.SMTPRecipientsRefused(
                {to_addrs[0]: (SERVER.refuse_code, b"Try again later")}
            )
        if to_addrs[0] in SERVER.permanent_for:
            raise smtplib.SMTPRecipientsRefused({to_addrs[0]: (550, b"No such user")})
        found = _MESSAGE_ID.search(msg)
        received = Received(list(to_addrs), found.group(1).decode() if found else "", msg)
        with SERVER.lock:
            SERVER.accepted.append(received)
            accepted = len(SERVER.accepted)
        if SERVER.on_accept is not None:
            SERVER.on_accept(received)
        if SERVER.kill_after_accepting and accepted == SERVER.kill_after_accepting:
            raise Killed
        return {}


class FlakyBackend(SMTPBackend):
    """Django's SMTP backend talking to the fake server above."""

    @property
    def connection_class(self) -> type:  # type: ignore[override]
        return FakeSMTP


class Clock:
    """A clock the test moves by hand; it stands still from the first time it is read."""

    def __init__(self) -> None:
        self._now: datetime.datetime | None = None

    @property
    def now(self) -> datetime.datetime:
        if self._now is None:
            self._now = timezone.now()
        return self._now

    @now.setter
    def now(self, value: datetime.datetime) -> None:
        self._now = value

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now = self.now + datetime.timedelta(seconds=seconds)
