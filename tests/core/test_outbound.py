"""The outbound guard: inside addresses are refused before any socket connects; public rules hold.

Connections and name lookups are observed with Python's audit hooks (``socket.connect``,
``socket.getaddrinfo``), so "no connection was made" is what the interpreter saw, and a
real listening socket on 127.0.0.1 shows that nothing reached it.
"""

import socket
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import outbound

REFUSED = [
    ("http://127.0.0.1:5432/", "a loopback address"),
    ("http://169.254.169.254/", "a cloud metadata address"),
    ("http://[::1]:8765/", "a loopback address"),
    ("http://localhost:6379/", "a loopback address"),
    ("http://10.0.0.1/", "a private address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("http://0.0.0.0/", "an unspecified address"),
    ("http://[::ffff:127.0.0.1]/", "a loopback address"),
    ("http://[::ffff:169.254.169.254]/latest/meta-data/", "a cloud metadata address"),
    ("http://[2002:7f00:1::]/", "a loopback address"),  # 6to4 of 127.0.0.1
    ("http://[64:ff9b::a00:1]/", "a private address"),  # NAT64 of 10.0.0.1
    ("http://127.1:80/", "a loopback address"),
    ("http://2130706433/", "a loopback address"),  # 127.0.0.1 as one number
    ("http://100.64.0.1/", "a non-public address"),  # carrier-grade NAT
    ("http://224.0.0.1/", "a multicast address"),
    ("http://240.0.0.1/", "a reserved address"),
    ("http://[fd00:ec2::254]/", "a cloud metadata address"),
]

_seen: list[tuple[str, tuple]] = []
_recording = threading.local()


def _audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo") and getattr(_recording, "on", False):
        _seen.append((event, args))


sys.addaudithook(_audit)  # process-wide and permanent; it records only inside ``recorded()``


@contextmanager
def recorded():
    """The socket connects and name lookups this thread makes inside the block."""
    _seen.clear()
    _recording.on = True
    events: list[tuple[str, tuple]] = []
    try:
        yield events
    finally:
        _recording.on = False
        events.extend(_seen)


@pytest.fixture
def listener():
    """A real socket listening on 127.0.0.1 that nobody accepts from: a connect would queue."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def pending_connections(sock) -> int:
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 that answers 204 and records the Host header."""
    hosts = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            hosts.append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.hosts = hosts
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_inside_addresses_are_refused_without_a_connection(settings, url, why):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with recorded() as events, pytest.raises(outbound.OutboundRefused) as refused:
        outbound.outbound_post(url, body=b"{}", headers={}, timeout=2)
    assert why in refused.value.reason
    assert [e for e in events if e[0] == "socket.connect"] == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]"])
def test_a_listening_loopback_port_is_never_reached(settings, listener, host):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    port = listener.getsockname()[1]
    with pytest.raises(outbound.OutboundRefused):
        outbound.outbound_post(f"http://{host}:{port}/", body=b"{}", headers={}, timeout=2)
    assert pending_connections(listener) == 0


def test_literal_addresses_are_checked_without_a_name_lookup(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with recorded() as events, pytest.raises(outbound.OutboundRefused):
        outbound.outbound_check("http://10.0.0.1/")
    assert all(args[0] == "10.0.0.1" for event, args in events if event == "socket.getaddrinfo")
    # A literal is taken as it is (AI_NUMERICHOST): getaddrinfo sends no DNS query for it.
    assert outbound.outbound_check("https://93.184.215.14:8443/x?y=1").addresses[0][1][:2] == (
        "93.184.215.14",
        8443,
    )


@pytest.mark.parametrize(
    "url",
    ["ftp://93.184.215.14/", "file:///etc/passwd", "http:///nohost", "http://user:pw@93.184.215.14/"],
)
def test_other_urls_are_refused(url):
    with pytest.raises(outbound.OutboundRefused):
        outbound.outbound_check(url)


def test_metadata_stays_refused_when_private_addresses_are_allowed(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    for url in ("http://169.254.169.254/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0/"):
        with recorded() as events, pytest.raises(outbound.OutboundRefused):
            outbound.outbound_post(url, body=b"{}", headers={}, timeout=2)
        assert [e for e in events if e[0] == "socket.connect"] == []


def test_allowed_loopback_is_resolved_once_and_the_checked_address_connected(settings, receiver):
    """The name is looked up once; the socket goes to the address that lookup gave and was checked."""
    settings.OUTBOUND_ALLOW_PRIVATE = True
    port = receiver.server_port
    with recorded() as events:
        response = outbound.outbound_post(
            f"http://localhost:{port}/hook",
            body=b"{}",
            headers={"Content-Type": "application/json"},
            timeout=5,
        )
    assert response.status == 204
    lookups = [args for event, args in events if event == "socket.getaddrinfo"]
    connects = [args[1] for event, args in events if event == "socket.connect"]
    assert len(lookups) == 1 and lookups[0][0] == "localhost"
    assert connects and all(address[0] in ("127.0.0.1", "::1") for address in connects)
    assert receiver.hosts == [f"localhost:{port}"]  # the Host header still names the host


def test_redirects_are_not_followed_and_the_answer_is_read_up_to_the_limit(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            calls.append(self.path)
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(1_000_000))
            self.end_headers()
            self.wfile.write(b"x" * 1_000_000)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        redirected = outbound.outbound_post(f"{base}/redirect", body=b"{}", headers={}, timeout=5)
        assert redirected.status == 302 and calls == ["/redirect"]
        big = outbound.outbound_post(f"{base}/big", body=b"{}", headers={}, timeout=5, max_bytes=1000)
        assert big.status == 200 and len(big.body) == 1000 and big.truncated
    finally:
        server.shutdown()
        server.server_close()
