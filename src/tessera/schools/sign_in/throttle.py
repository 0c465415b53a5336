"""Sign-in throttling: who the client is, and when their sign-ins are refused for a while.

Two locks, each for ``LOGIN_COOLOFF_HOURS`` after the last failure:

- per account, from any address: ``LOGIN_FAILURE_LIMIT`` wrong passwords for one username (guessing one
  person's password from many addresses, or with a forged address, does not get further);
- per address, for any account: ``LOGIN_ADDRESS_FAILURE_LIMIT`` wrong passwords from one address, whatever
  the usernames (password spraying: one guess on each of many accounts). The limit is higher than the
  account's because a whole school may share one public address; a person's own failures stop counting
  once they sign in.

The client's address is the connection's peer (``REMOTE_ADDR``). ``X-Forwarded-For`` is read only when
that peer is one of ``TRUSTED_PROXIES``, and then only up to the first hop that is not a trusted proxy:
anyone can write the header, so the nearest untrusted address is the only one a proxy vouches for. The
ASGI server must not rewrite the peer itself (``make run`` starts uvicorn with ``--no-proxy-headers``).

django-axes records the failures (``AXES_HANDLER`` points here) and shows the lockout page.
"""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address sign-in throttling counts for ``request``.

    The peer address, unless the peer is a trusted proxy: then the right-most address of
    ``X-Forwarded-For`` that is not itself a trusted proxy (what the nearest trusted proxy saw).
    """
    peer = str(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    client = peer
    for hop in reversed([hop for hop in hops if hop]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address: nothing left of it can be trusted either
        client = hop
        if not _is_trusted_proxy(hop):
            break
    return client


def address_failure_limit() -> int:
    return int(settings.LOGIN_ADDRESS_FAILURE_LIMIT)


class SignInThrottle(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type hints
    """django-axes' database handler with one limit per account and a higher one per address.

    axes compares one number with one limit (``AXES_FAILURE_LIMIT``, the per-account limit), so
    :meth:`get_failures` reports the account's failures, or the account limit itself once the address
    has reached its own limit.
    """

    def _failures(self, request: HttpRequest, **lookup: Any) -> int:
        attempts = AccessAttempt.objects.filter(**lookup)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account = self._failures(request, username=get_client_username(request, credentials))
        address = self._failures(request, ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
        if address >= address_failure_limit():
            return max(account, int(get_failure_limit(request, credentials)))
        return account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful sign-in forgets that account's failures only, never its address's: otherwise a
        sprayer who owns one account could sign into it between guesses to start the count again."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
