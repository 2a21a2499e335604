"""A kombu `amqp://` transport that reads the socket in large chunks (the consumer's hot path).

py-amqp reads every frame with separate `recv` calls of exactly the bytes it needs (7-byte
header, payload, frame-end octet) and sets and restores the socket timeout around each
`drain_events`; a delivery is three frames, so about nine system calls plus four timeout
changes per message. This transport reads up to READ_CHUNK bytes at a time and parses frames
out of its buffer; while a whole frame is buffered, `drain_events` touches neither the socket
nor its timeout. Frames, heartbeats and errors are otherwise exactly py-amqp's.

    conn = kombu.Connection(url, transport=BufferedTransport)   # or connection.clone(transport=...)

TLS (`amqps://`, `ssl=...`) keeps py-amqp's own SSL transport.
"""

from __future__ import annotations

import errno
from contextlib import contextmanager
from struct import unpack_from

from amqp.exceptions import UnexpectedFrame
from amqp.transport import TCPTransport
from kombu.transport import pyamqp

READ_CHUNK = 65536
FRAME_END = 0xCE
_RETRY = (errno.EAGAIN, errno.EINTR)
_UNAVAILABLE = {errno.EAGAIN, errno.EINTR, errno.ENOENT, errno.EWOULDBLOCK}


class BufferedTCPTransport(TCPTransport):
    """py-amqp's TCP transport with chunked reads; a partial frame stays buffered across timeouts."""

    def _setup_transport(self) -> None:
        super()._setup_transport()
        self._buffer = bytearray()
        self._position = 0
        self._recv_into = self.sock.recv_into
        self._chunk = bytearray(READ_CHUNK)
        self._chunk_view = memoryview(self._chunk)

    def _buffered(self) -> int:
        return len(self._buffer) - self._position

    def _frame_buffered(self) -> bool:
        available = self._buffered()
        if available < 7:
            return False
        size = unpack_from(">I", self._buffer, self._position + 3)[0]
        return available >= size + 8

    @contextmanager
    def having_timeout(self, timeout):
        if self._frame_buffered():
            yield self.sock  # no socket call will be made: skip two settimeout() syscalls
            return
        with super().having_timeout(timeout) as sock:
            yield sock

    def _fill(self, initial: bool) -> None:
        """One recv of up to READ_CHUNK bytes appended to the buffer (raises TimeoutError)."""
        while True:
            try:
                received = self._recv_into(self._chunk_view)
            except OSError as exc:
                if exc.errno in _RETRY:
                    if initial and self.raise_on_initial_eintr:
                        raise TimeoutError() from exc
                    continue
                raise
            if not received:
                raise OSError("Server unexpectedly closed connection")
            if self._position:
                del self._buffer[:self._position]
                self._position = 0
            self._buffer += self._chunk_view[:received]
            return

    def _read(self, n, initial=False):
        """Exactly `n` bytes (used by py-amqp outside read_frame)."""
        while self._buffered() < n:
            self._fill(initial and not self._buffered())
        start = self._position
        self._position += n
        return bytes(self._buffer[start:self._position])

    def read_frame(self, unpack=None):
        """One (frame type, channel, payload) — bytes are consumed only once the whole frame is here."""
        try:
            while True:
                available = self._buffered()
                if available >= 7:
                    frame_type, channel, size = unpack_from(">BHI", self._buffer, self._position)
                    if available >= size + 8:
                        break
                self._fill(initial=available == 0)
        except TimeoutError:
            raise
        except OSError as exc:
            if exc.errno not in _UNAVAILABLE:
                self.connected = False
            raise
        start = self._position + 7
        end = start + size
        frame_end = self._buffer[end]
        payload = bytes(self._buffer[start:end])
        self._position = end + 1
        if frame_end != FRAME_END:
            raise UnexpectedFrame(f"Received frame_end {frame_end:#04x} while expecting 0xce")
        return frame_type, channel, payload


class BufferedConnection(pyamqp.Connection):
    """kombu's py-amqp connection whose plain-TCP transport is BufferedTCPTransport."""

    def Transport(self, host, connect_timeout, ssl=False, read_timeout=None, write_timeout=None,  # noqa: N802
                  socket_settings=None, **kwargs):
        if ssl:
            return super().Transport(host, connect_timeout, ssl=ssl, read_timeout=read_timeout,
                                     write_timeout=write_timeout, socket_settings=socket_settings, **kwargs)
        return BufferedTCPTransport(host, connect_timeout=connect_timeout, read_timeout=read_timeout,
                                    write_timeout=write_timeout, socket_settings=socket_settings, **kwargs)


class BufferedTransport(pyamqp.Transport):
    """kombu's py-amqp transport over BufferedConnection."""

    Connection = BufferedConnection
