"""Where the credentials go: the check of an API endpoint. Pure.

``hris.base_url`` receives the CharlieHR client id and secret, ``ledgy.url`` the
Ledgy API key. Outside the sandbox and the local test mode, an endpoint must be
``https://`` and must name a public host: not a loopback, link-local, private or
reserved address (169.254.169.254 is the cloud metadata service of the machine the
workflow runs on), not ``localhost`` or a name the internet does not resolve
(``.local``, ``.internal``, ``.home.arpa``), and carry no user or password. Host
names are not resolved here (that would be I/O): a public name that resolves to a
private address is not caught.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

LOCAL_ENDPOINTS = "RECONCILER_LOCAL_ENDPOINTS"
"""The environment variable that turns the local test mode on (``1``): endpoints may
then be plain http and loopback or private addresses, for emulators on this machine."""

PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
"""Names that never leave the local network: RFC 6761 (localhost), RFC 6762 (.local,
multicast DNS), ICANN's private-use .internal (2024), RFC 8375 (home.arpa)."""

_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")

Problem = tuple[str, str]
"""A message and a hint."""


def endpoint_problem(url: str, *, local: bool = False) -> Problem | None:
    """What makes ``url`` unfit to receive credentials, or ``None`` when it is fit.

    ``local`` is the sandbox or the local test mode: plain http and addresses on this
    machine or network are then allowed (the scheme and the form still are checked).
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "is not a URL", "write the whole URL, e.g. https://charliehr.com/api/v1"
    if parts.scheme not in ("http", "https") or not host:
        return "is not an http(s) URL with a host", "write https://host/path"
    if parts.username is not None or parts.password is not None:
        return (
            "holds a user or password; credentials never go in the config",
            "remove the user:password@ part; the keys come from env/VARIABLE settings",
        )
    if local:
        return None
    if parts.scheme != "https":
        return (
            "must be https://: the credentials would travel in clear text over http",
            "use the https:// address (plain http is only for the sandbox and the local "
            f"test mode, {LOCAL_ENDPOINTS}=1)",
        )
    return _host_problem(host)


def _host_problem(host: str) -> Problem | None:
    hint = (
        "name the service's public https address; addresses on this machine or network are "
        f"only for the sandbox and the local test mode ({LOCAL_ENDPOINTS}=1)"
    )
    address = _address(host)
    if address is not None and not address.is_global:
        return f"names {_kind(address)}, not a public host", hint
    if address is None and all(_NUMERIC_LABEL.fullmatch(label) for label in host.split(".")):
        # 2130706433, 0x7f.1 and 127.1 all reach 127.0.0.1 through the system resolver.
        return "names an address in an unusual numeric form", hint
    if host == "localhost" or host.endswith(PRIVATE_SUFFIXES):
        return "names a host on this machine or network, not a public host", hint
    return None


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        found = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.is_loopback or address.is_unspecified:
        return "a loopback address (this machine)"
    if address.is_link_local:
        return "a link-local address (such as the cloud metadata service)"
    if address.is_private:
        return "a private network address"
    return "a reserved address"
