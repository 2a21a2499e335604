"""The consumer's chunked AMQP reader parses exactly py-amqp's frames, whatever the recv boundaries."""

from __future__ import annotations

import struct

import pytest
from amqp.exceptions import UnexpectedFrame

from kit.amqp_buffered import BufferedTCPTransport


def frame(frame_type: int, channel: int, payload: bytes, end: int = 0xCE) -> bytes:
    return struct.pack(">BHI", frame_type, channel, len(payload)) + payload + bytes([end])


class FakeSocket:
    """Hands out the scripted chunks one recv at a time; `TimeoutError` entries raise."""

    def __init__(self, chunks) -> None:
        self.chunks = list(chunks)
        self.recv_calls = 0

    def recv_into(self, buffer) -> int:
        self.recv_calls += 1
        if not self.chunks:
            raise TimeoutError()
        chunk = self.chunks.pop(0)
        if isinstance(chunk, BaseException):
            raise chunk
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def recv(self, size):  # py-amqp's own path; must not be used
        raise AssertionError("recv() called instead of recv_into()")

    def sendall(self, data) -> None:
        pass

    def gettimeout(self):
        return None

    def settimeout(self, timeout) -> None:
        pass


def transport(chunks) -> BufferedTCPTransport:
    reader = BufferedTCPTransport.__new__(BufferedTCPTransport)
    reader.sock = FakeSocket(chunks)
    reader.raise_on_initial_eintr = True
    reader.connected = True
    reader._setup_transport()
    return reader


def test_many_frames_from_one_recv():
    frames = [frame(1, 1, b"method"), frame(2, 1, b"header"), frame(3, 1, b"body" * 100)]
    reader = transport([b"".join(frames)])
    assert [reader.read_frame() for _ in frames] == [(1, 1, b"method"), (2, 1, b"header"), (3, 1, b"body" * 100)]
    assert reader.sock.recv_calls == 1


def test_a_frame_split_over_recvs_and_a_timeout_loses_nothing():
    data = frame(1, 7, b"x" * 50) + frame(8, 0, b"")
    reader = transport([data[:3], TimeoutError(), data[3:20], TimeoutError(), data[20:]])
    with pytest.raises(TimeoutError):
        reader.read_frame()
    with pytest.raises(TimeoutError):
        reader.read_frame()
    assert reader.read_frame() == (1, 7, b"x" * 50)
    assert reader.read_frame() == (8, 0, b"")
    assert reader.connected


def test_having_timeout_skips_the_socket_while_a_frame_is_buffered():
    reader = transport([frame(1, 1, b"a") + frame(1, 1, b"b")])
    reader.read_frame()
    reader.sock.settimeout = lambda timeout: pytest.fail("settimeout() with a frame buffered")
    with reader.having_timeout(0.5):
        assert reader.read_frame() == (1, 1, b"b")


def test_a_bad_frame_end_is_refused():
    reader = transport([frame(1, 1, b"a", end=0x00)])
    with pytest.raises(UnexpectedFrame):
        reader.read_frame()


def test_a_closed_socket_marks_the_transport_disconnected():
    reader = transport([frame(1, 1, b"a")[:4], b""])
    with pytest.raises(OSError, match="closed"):
        reader.read_frame()
    reader2 = transport([ConnectionResetError(104, "reset")])
    with pytest.raises(ConnectionResetError):
        reader2.read_frame()
    assert not reader2.connected


def test_read_serves_exact_byte_counts_from_the_buffer():
    reader = transport([b"AMQP\x00\x00\x09\x01" + frame(1, 0, b"start")])
    assert reader._read(8) == b"AMQP\x00\x00\x09\x01"
    assert reader.read_frame() == (1, 0, b"start")
