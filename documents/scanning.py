"""Virus scanning of uploads, before anything is stored.

`DOCUMENTS_SCANNER` says which scanner (docs/configuration.md): a ClamAV daemon's
address, `tcp://HOST:PORT` or `unix:///PATH`, or none (development and the demo; a
production deployment must say `none` to go without, and `manage.py check` notes it,
documents.I001). A scanner has one method, `scan(content) -> Verdict`, and raises
ScannerUnavailable when it cannot say the file is clean: the upload service then
refuses the file (it fails closed).

`Clamd` speaks clamd's INSTREAM command (`man clamd`): "zINSTREAM\\0", then the bytes in
chunks, each after its length as four bytes, most significant first; a length of zero
ends them. clamd answers "stream: OK", "stream: <signature> FOUND" or "<reason> ERROR"
(e.g. the file is longer than its StreamMaxLength), ended by "\\0". The ready-made
clients were not worth a dependency: `clamd` and `pyclamd` are unmaintained since 2014
and 2017, and `clamav-client` (maintained) is GPL-2.0 and lets errors met while sending
escape its own exception.
"""

import socket
import struct
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

_CHUNK = 64 * 1024
_REPLY_LIMIT = 4096


class ScannerUnavailable(Exception):
    """The file could not be checked: no scanner answered, or not with "clean" or
    "infected"."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""  # what the scanner found, e.g. "Win.Test.EICAR_HDB-1"


class Scanner(Protocol):
    name: str

    def scan(self, content: bytes) -> Verdict: ...


class Clamd:
    """ClamAV's daemon at `address`: "tcp://HOST:PORT" or "unix:///PATH"."""

    def __init__(self, address: str, *, timeout: float):
        self.name = f"clamd at {address}"
        self.timeout = timeout
        if address.startswith("unix://"):
            self._family, self._target = socket.AF_UNIX, address.removeprefix("unix://")
        elif address.startswith("tcp://"):
            host, _, port = address.removeprefix("tcp://").rpartition(":")
            self._family, self._target = socket.AF_INET, (host.strip("[]"), int(port))
            if ":" in host:
                self._family = socket.AF_INET6
        else:
            raise ValueError(f"not a clamd address: {address!r}")

    def scan(self, content: bytes) -> Verdict:
        try:
            with socket.socket(self._family, socket.SOCK_STREAM) as connection:
                connection.settimeout(self.timeout)
                connection.connect(self._target)
                connection.sendall(b"zINSTREAM\0")
                view = memoryview(content)
                for start in range(0, len(content), _CHUNK):
                    chunk = view[start : start + _CHUNK]
                    connection.sendall(struct.pack("!I", len(chunk)))
                    connection.sendall(chunk)
                connection.sendall(struct.pack("!I", 0))
                reply = _read_reply(connection)
        except OSError as error:  # refused, timed out, closed while sending
            raise ScannerUnavailable(f"{self.name}: {error}") from error
        if reply == "stream: OK":
            return Verdict(infected=False)
        if reply.startswith("stream: ") and reply.endswith(" FOUND"):
            return Verdict(infected=True, signature=reply[len("stream: ") : -len(" FOUND")])
        raise ScannerUnavailable(f"{self.name} answered {reply!r}")


def _read_reply(connection: socket.socket) -> str:
    """clamd's answer, up to its closing NUL (or the connection's end)."""
    reply = b""
    while b"\0" not in reply and len(reply) < _REPLY_LIMIT:
        data = connection.recv(_REPLY_LIMIT)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def scanner() -> Scanner | None:
    """The scanner the settings name, or None when uploads are not scanned."""
    address = settings.DOCUMENTS_SCANNER
    if address is None:
        return None
    return Clamd(address, timeout=settings.DOCUMENTS_SCANNER_TIMEOUT)
