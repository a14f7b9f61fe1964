"""A small clamd for the tests: a real socket on 127.0.0.1 (or a unix socket) speaking
the INSTREAM command as ClamAV's daemon does. It answers "stream: OK", or
"stream: Eicar-Signature FOUND" when the bytes hold MARKER (a made-up marker, not the
real EICAR test string, which scanners on a developer's machine would quarantine).
`reply` answers something else; `silent` answers nothing."""

import contextlib
import socket
import struct
import tempfile
import threading
from pathlib import Path

MARKER = b"SYNTHETIC-TEST-VIRUS-MARKER"


class FakeClamd:
    def __init__(self, *, unix: bool = False, reply: bytes | None = None, silent=False):
        self.reply, self.silent = reply, silent
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []
        if unix:
            self._folder = tempfile.TemporaryDirectory()  # short: socket paths are limited
            path = str(Path(self._folder.name) / "clamd.sock")
            self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._server.bind(path)
            self.address = f"unix://{path}"
        else:
            self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._server.bind(("127.0.0.1", 0))
            self.address = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        self._server.listen(4)
        self._server.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopping.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self):
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            # A client that gives up (OSError) is let go: serve the next one.
            with connection, contextlib.suppress(OSError):
                connection.settimeout(5)
                self._answer(connection)

    def _answer(self, connection):
        command = _read_until(connection, b"\0")
        self.commands.append(command)
        if command != b"zINSTREAM":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        data = bytearray()
        while (length := struct.unpack("!I", _read_exactly(connection, 4))[0]) != 0:
            data += _read_exactly(connection, length)
        self.streams.append(bytes(data))
        if self.silent:
            self._stopping.wait(3)  # until the client has given up
            return
        if self.reply is not None:
            connection.sendall(self.reply)
        elif MARKER in data:
            connection.sendall(b"stream: Eicar-Signature FOUND\0")
        else:
            connection.sendall(b"stream: OK\0")


def _read_exactly(connection, size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = connection.recv(size - len(data))
        if not more:
            raise ConnectionError("the client stopped sending")
        data += more
    return data


def _read_until(connection, end: bytes) -> bytes:
    data = b""
    while not data.endswith(end):
        more = connection.recv(1)
        if not more:
            break
        data += more
    return data.removesuffix(end)


def closed_port() -> str:
    """The address of a port on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"
