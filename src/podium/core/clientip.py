"""The reader's real address behind the proxies in front of Podium.

Behind nginx or a load balancer every request arrives from the proxy; the client's address is in
`X-Forwarded-For`, which each proxy extends with the address it received the request from. Anyone
can send that header, so it is believed only as far as it was written by proxies we trust:

- ``PODIUM_TRUSTED_PROXIES`` empty or ``0`` (the default): no proxy; the header is ignored and the
  address is the connection's peer (``REMOTE_ADDR``).
- a count ``N`` (``1``, ``2``): exactly N proxies stand in front of every request. The peer is the
  nearest; the client is the N-th address from the right in ``X-Forwarded-For`` (the right-most
  address no trusted proxy wrote for itself). Use it only when nothing can reach Podium around
  the proxies.
- a list of networks (``127.0.0.1/32,10.0.0.0/8``): the proxies' addresses. The header is read
  only when the peer is one of them, and then from the right, skipping trusted proxies: the first
  address outside these networks is the client (the right-most untrusted hop). A request from
  any other peer keeps its peer address, whatever header it sends.

Every per-address limit (allauth's sign-in, sign-up and reset limits through
``podium.accounts.adapter``, the newsletter sign-up limit, readers' reports, CSP reports) and the
readers' de-duplication of the stats beacon use :func:`client_ip`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
TrustedProxies = int | tuple[Network, ...]

UNKNOWN = "unknown"  # no usable address at all (a broken test client, a unix socket)


class TrustedProxiesError(ValueError):
    """PODIUM_TRUSTED_PROXIES has a value that is neither a count nor a list of networks."""


def parse_trusted_proxies(value: int | str | Sequence[str] | None) -> TrustedProxies:
    """A count (``2`` or ``"2"``) or networks (``"10.0.0.0/8, 127.0.0.1"`` or a list of them).
    Raises TrustedProxiesError on anything else, so a typo stops the start-up."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise TrustedProxiesError("PODIUM_TRUSTED_PROXIES must be a count or a list of networks")
    if isinstance(value, int):
        if value < 0:
            raise TrustedProxiesError("PODIUM_TRUSTED_PROXIES must not be negative")
        return value
    items = (
        [part.strip() for part in value.split(",")]
        if isinstance(value, str)
        else [str(part).strip() for part in value]
    )
    items = [item for item in items if item]
    if not items:
        return 0
    if len(items) == 1 and items[0].isdigit():
        return int(items[0])
    networks: list[Network] = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise TrustedProxiesError(
                f"PODIUM_TRUSTED_PROXIES: {item!r} is neither a count nor a network "
                "(e.g. 1, or 127.0.0.1/32,10.0.0.0/8)"
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(value: int | str | tuple[str, ...] | None) -> TrustedProxies:
    return parse_trusted_proxies(value)


def _setting() -> TrustedProxies:
    from django.conf import settings

    value = getattr(settings, "PODIUM_TRUSTED_PROXIES", 0)
    if isinstance(value, list):
        value = tuple(value)
    return _trusted(value)


def _address(raw: str) -> Address | None:
    """One hop as written by a proxy or a client: an IPv4 or IPv6 address, possibly with a port
    (``1.2.3.4:5678``, ``[::1]:80``); None for anything else."""
    text = raw.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text[1:]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _normalised(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def _in(address: Address, networks: tuple[Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string (``"192.0.2.7"``), following X-Forwarded-For only
    through the trusted proxies (module docstring). ``"unknown"`` when there is none at all."""
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    trusted = _setting()
    if peer is None:
        return UNKNOWN
    if not trusted:
        return _normalised(peer)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in header.split(",") if hop.strip()] if header else []
    if isinstance(trusted, int):
        # The peer is the nearest trusted proxy; each further one wrote the hop before it.
        chain = [*hops, str(peer)]
        candidate = chain[max(0, len(chain) - 1 - trusted)]
        found = _address(candidate)
        # Every hop at or right of the candidate was written by a trusted proxy, so it is an
        # address; if not, the proxies are not what the setting says: fall back to the peer.
        return _normalised(found) if found is not None else _normalised(peer)
    if not _in(peer, trusted):
        return _normalised(peer)
    nearest = peer
    for hop in reversed(hops):
        found = _address(hop)
        if found is None:
            break
        if not _in(found, trusted):
            return _normalised(found)
        nearest = found
    return _normalised(nearest)
