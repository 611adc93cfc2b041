"""The one way out: HTTP requests to addresses partners give us, guarded against reaching inside.

A URL saved by a person (a partner's webhook, an outlet's feed) must not become a way to reach our own
network: the database, Redis, the cloud metadata service, another service's admin port.
``outbound_check`` resolves the URL's host and refuses it unless every address it resolves
to is public; ``outbound_post`` then connects to one of those checked addresses itself
(never resolving the name a second time, so a DNS answer that changes between the check
and the connection cannot slip in an inside address), checks the peer it is connected to,
follows no redirect, reads at most ``max_bytes`` of the answer and gives up after
``timeout`` seconds per network operation.

``outbound_get`` reads pages and feeds: it follows at most ``MAX_REDIRECTS`` redirects, each
new target checked as the first was, and decodes a compressed answer within the same size
limit.

A refused target is refused before any socket is opened, so what the caller logs is the
same whether something listens there or not.

``OUTBOUND_ALLOW_PRIVATE`` (off by default) lets loopback, private and link-local addresses
through, for tests and local setups; cloud metadata, unspecified, multicast and reserved
addresses stay refused even then.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from core.errors import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services (AWS, GCP, Azure, OpenStack; AWS ECS task metadata; AWS over
# IPv6; Alibaba Cloud; Oracle Cloud's DNS). Refused whatever OUTBOUND_ALLOW_PRIVATE says.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.253", "fd00:ec2::254", "100.100.100.200")
)
# NAT64 embeds an IPv4 address in the low 32 bits; the gateway would connect to that one.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
DEFAULT_MAX_BYTES = 64 * 1024
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class OutboundRefused(ApplicationError):
    """The target is not one we call: a bad URL or an address inside our network."""

    code = "outbound_refused"


class OutboundFailed(ApplicationError):
    """The target was called but its answer is not one we read (redirect loop, bad encoding)."""

    code = "outbound_failed"


@dataclass(frozen=True)
class Target:
    """A URL taken apart, with the addresses its host resolved to, all of them checked."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[tuple[int, tuple], ...]  # (family, sockaddr) as getaddrinfo gives them


@dataclass(frozen=True)
class OutboundResponse:
    status: int
    reason: str
    body: bytes  # at most max_bytes of it (decoded from gzip or deflate when it came so)
    truncated: bool
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    url: str = ""  # the URL that answered, after any redirects


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: IPAddress, *, allow_private: bool | None = None) -> str | None:
    """Why ``ip`` is not called ("a loopback address"), or None when it may be."""
    if allow_private is None:
        allow_private = settings.OUTBOUND_ALLOW_PRIVATE
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        why = address_refusal(embedded, allow_private=allow_private)
        return f"{why} (inside the IPv6 address {ip})" if why else None
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_loopback:  # before "reserved": ::1 lies in the reserved ::/8
        return None if allow_private else "a loopback address"
    if ip.is_reserved:
        return "a reserved address"
    if allow_private:
        return None
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(f"{url!r} is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundRefused(f"Only http and https URLs are called, not {url!r}.")
    host = parts.hostname
    if not host:
        raise OutboundRefused(f"{url!r} names no host.")
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused("A URL with a user name or password in it is not called.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _resolve(host: str, port: int) -> list[tuple[int, tuple]]:
    flags = 0
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        flags = int(socket.AI_NUMERICHOST)  # a literal address: no DNS query at all
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundRefused(f"The host {host!r} could not be resolved ({exc}).") from None
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in infos]


def outbound_check(url: str) -> Target:
    """``url`` taken apart and resolved, or ``OutboundRefused`` naming what is wrong.

    Every address the host resolves to must be callable: a name with one public and one
    inside address is refused, since either may be the one connected to.
    """
    scheme, host, port, path = _split(url)
    addresses = _resolve(host, port)
    if not addresses:
        raise OutboundRefused(f"The host {host!r} resolves to no address.")
    for _family, sockaddr in addresses:
        ip = ipaddress.ip_address(sockaddr[0])
        why = address_refusal(ip)
        if why:
            named = host if host == str(ip) else f"{host} ({ip})"
            netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            raise OutboundRefused(
                f"{named} is {why}; only public addresses are called (refused {scheme}://{netloc})."
            )
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))


def _connect(target: Target, timeout: float) -> socket.socket:
    """A socket connected to one of the target's checked addresses, tried in order."""
    last: OSError | None = None
    for family, sockaddr in target.addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            peer = ipaddress.ip_address(sock.getpeername()[0])
            why = address_refusal(peer)
            if peer != ipaddress.ip_address(sockaddr[0]) or why:
                raise OutboundRefused(f"Connected to {peer}, not the checked address {sockaddr[0]}.")
            return sock
        except OSError as exc:
            sock.close()
            last = exc
        except BaseException:
            sock.close()
            raise
    raise last or OSError(f"No address of {target.host} could be connected to.")


class _PinnedConnection(http.client.HTTPConnection):
    """Speaks HTTP with ``target.host`` in the Host header over a socket to a checked address."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._target = target

    def connect(self) -> None:
        sock = _connect(self._target, self.timeout)  # type: ignore[arg-type]
        if self._target.scheme == "https":
            context = ssl.create_default_context()
            try:
                sock = context.wrap_socket(sock, server_hostname=self._target.host)
            except BaseException:
                sock.close()
                raise
        self.sock = sock


def outbound_post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> OutboundResponse:
    """POST ``body`` to ``url`` once; any status is returned as it came (3xx included).

    Raises ``OutboundRefused`` for a target it will not call (before any connection), and
    ``OSError`` or ``http.client.HTTPException`` for a network or protocol failure.
    """
    target = outbound_check(url)
    deadline = time.monotonic() + timeout
    connection = _PinnedConnection(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            if time.monotonic() > deadline:
                raise TimeoutError(f"The answer took longer than {timeout} s.")
            chunk = response.read(min(16 * 1024, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        return OutboundResponse(
            status=response.status,
            reason=response.reason,
            body=data[:max_bytes],
            truncated=len(data) > max_bytes,
        )
    finally:
        connection.close()


def outbound_get(
    url: str,
    *,
    headers: dict[str, str],
    timeout: float,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> OutboundResponse:
    """GET ``url``, following at most ``max_redirects`` redirects, each target checked anew.

    ``timeout`` bounds each network operation and the whole exchange, redirects included.
    A gzip or deflate body is decoded here, and the decoded size counts against
    ``max_bytes`` (so a small compressed bomb stops at the limit); a ``Content-Length``
    past the limit is not read at all. Either way ``truncated`` says so. Raises
    ``OutboundRefused`` for a target it will not call, ``OutboundFailed`` for too many
    redirects or an unknown content encoding, and ``OSError`` (``TimeoutError``) or
    ``http.client.HTTPException`` for a network or protocol failure.
    """
    deadline = time.monotonic() + timeout
    request_headers = {"Accept-Encoding": "gzip, deflate", **headers}
    for _hop in range(max_redirects + 1):
        response = _get_once(url, request_headers, timeout, deadline, max_bytes)
        location = response.headers.get("location")
        if response.status not in _REDIRECTS or not location:
            return response
        url = urljoin(url, location)
    raise OutboundFailed(f"More than {max_redirects} redirects; the last pointed to {url}.")


def _get_once(
    url: str, headers: dict[str, str], timeout: float, deadline: float, max_bytes: int
) -> OutboundResponse:
    target = outbound_check(url)
    connection = _PinnedConnection(target, max(0.01, min(timeout, deadline - time.monotonic())))
    try:
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        answer = {name.lower(): value for name, value in response.getheaders()}
        if response.status in _REDIRECTS:
            return OutboundResponse(response.status, response.reason, b"", False, answer, url)
        length = answer.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes and not answer.get("content-encoding"):
            return OutboundResponse(response.status, response.reason, b"", True, answer, url)
        body, truncated = _read_decoded(response, answer.get("content-encoding", ""), deadline, max_bytes)
        return OutboundResponse(response.status, response.reason, body, truncated, answer, url)
    finally:
        connection.close()


def _decoder(encoding: str):
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise OutboundFailed(f"The answer is in an encoding we do not read ({encoding}).")


def _read_decoded(response, encoding: str, deadline: float, max_bytes: int) -> tuple[bytes, bool]:
    """At most ``max_bytes`` of the decoded body, and whether there was more."""
    decoder = _decoder(encoding)
    chunks: list[bytes] = []
    size = 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise TimeoutError("The answer took longer than the time allowed.")
        raw = response.read(16 * 1024 if decoder else min(16 * 1024, max_bytes + 1 - size))
        if not raw:
            if decoder is not None:
                chunks.append(decoder.flush())
            break
        if decoder is not None:
            try:
                # max_length bounds what one compressed chunk may expand to.
                raw = decoder.decompress(raw, max_bytes + 1 - size)
            except zlib.error as exc:
                raise OutboundFailed(f"The compressed answer is corrupt ({exc}).") from None
            if decoder.unconsumed_tail:
                size = max_bytes + 1  # more output than allowed from this chunk alone
        chunks.append(raw)
        size += len(raw)
    data = b"".join(chunks)
    return data[:max_bytes], len(data) > max_bytes or size > max_bytes
