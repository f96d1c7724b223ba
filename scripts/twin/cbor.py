"""A minimal CBOR codec (RFC 8949): what the AWS SDK's RPC v2 CBOR protocol sends and reads for CloudWatch.

Maps, arrays, text and byte strings, integers, floats, booleans, null, and tag 1 (epoch-seconds timestamps, decoded
to float seconds). Indefinite-length items are decoded (the SDK may stream them); encoding is always definite.
"""
import struct


class Timestamp(float):
    """Seconds since the epoch, encoded as tag 1 (a Smithy timestamp)."""


def decode(data: bytes):
    value, pos = _item(data, 0)
    return value


def _length(data, pos, info):
    if info < 24:
        return info, pos
    if info == 24:
        return data[pos], pos + 1
    if info == 25:
        return struct.unpack_from(">H", data, pos)[0], pos + 2
    if info == 26:
        return struct.unpack_from(">I", data, pos)[0], pos + 4
    if info == 27:
        return struct.unpack_from(">Q", data, pos)[0], pos + 8
    if info == 31:
        return None, pos
    raise ValueError("bad CBOR length %d" % info)


def _item(data, pos):
    initial = data[pos]
    pos += 1
    major, info = initial >> 5, initial & 0x1F
    if major == 7:
        if info == 20:
            return False, pos
        if info == 21:
            return True, pos
        if info in (22, 23):
            return None, pos
        if info == 25:
            return _half(struct.unpack_from(">H", data, pos)[0]), pos + 2
        if info == 26:
            return struct.unpack_from(">f", data, pos)[0], pos + 4
        if info == 27:
            return struct.unpack_from(">d", data, pos)[0], pos + 8
        raise ValueError("unsupported CBOR simple value %d" % info)
    n, pos = _length(data, pos, info)
    if major == 0:
        return n, pos
    if major == 1:
        return -1 - n, pos
    if major in (2, 3):
        if n is None:
            parts = []
            while data[pos] != 0xFF:
                part, pos = _item(data, pos)
                parts.append(part)
            pos += 1
            joined = b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
            return (joined if major == 2 else joined.decode("utf-8")), pos
        raw = bytes(data[pos:pos + n])
        return (raw if major == 2 else raw.decode("utf-8")), pos + n
    if major == 4:
        out = []
        if n is None:
            while data[pos] != 0xFF:
                v, pos = _item(data, pos)
                out.append(v)
            return out, pos + 1
        for _ in range(n):
            v, pos = _item(data, pos)
            out.append(v)
        return out, pos
    if major == 5:
        out = {}
        while (n is None and data[pos] != 0xFF) or (n is not None and len(out) < n):
            k, pos = _item(data, pos)
            v, pos = _item(data, pos)
            out[k] = v
        if n is None:
            pos += 1
        return out, pos
    if major == 6:
        v, pos = _item(data, pos)
        return (Timestamp(v) if n == 1 else v), pos
    raise ValueError("bad CBOR major type %d" % major)


def _half(h):
    exp, mant = (h >> 10) & 0x1F, h & 0x3FF
    if exp == 0:
        val = mant * 2 ** -24
    elif exp == 31:
        val = float("inf") if mant == 0 else float("nan")
    else:
        val = (mant + 1024) * 2 ** (exp - 25)
    return -val if h & 0x8000 else val


def _head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    if n < 0x100:
        return bytes([(major << 5) | 24, n])
    if n < 0x10000:
        return bytes([(major << 5) | 25]) + struct.pack(">H", n)
    if n < 0x100000000:
        return bytes([(major << 5) | 26]) + struct.pack(">I", n)
    return bytes([(major << 5) | 27]) + struct.pack(">Q", n)


def encode(value) -> bytes:
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, Timestamp):
        return b"\xc1" + b"\xfb" + struct.pack(">d", float(value))
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise TypeError("cannot encode %r" % type(value))
