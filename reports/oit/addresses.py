"""The addresses an OIT checklist accepts: http(s), at most URL_LENGTH characters, and not aimed
at this machine or a private network (the link checker fetches them: no SSRF through the form)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports.oit.models import URL_LENGTH

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    multicast, reserved or unspecified)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def is_allowed_host(host: str, port: int) -> bool:
    """Whether host:port is one of settings.OIT_LINK_ALLOWED_HOSTS: the tests' local servers,
    which may be on loopback (empty in production, where no private address is taken)."""
    return f"{host}:{port}" in settings.OIT_LINK_ALLOWED_HOSTS


def address_problem(url: str) -> str | None:
    """What is wrong with an address a person typed, in Thai; None when it may be stored. Names
    are resolved only when the checker fetches them (links.py checks every address it reaches)."""
    if len(url) > URL_LENGTH:
        return _("The address is %(length)s characters long; at most %(limit)s are accepted.") % {
            "length": len(url),
            "limit": URL_LENGTH,
        }
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return _("This is not a web address.")
    if parts.scheme.lower() not in ("http", "https"):
        return _("The address must start with http:// or https://.")
    if not host:
        return _("The address has no website name.")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return _("This is not a web address.")
    if is_allowed_host(host, port):
        return None
    if host.rstrip(".").lower() in _LOCAL_NAMES or host.endswith(".localhost"):
        return _("The address points at this server; give the address on the public website.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not is_public_address(address):
        return _(
            "The address points at a private or local network; give the address on the "
            "public website."
        )
    return None


def validate_public_url(value: str) -> None:
    """A form field validator built on address_problem."""
    problem = address_problem(value)
    if problem:
        raise ValidationError(problem, code="address")
