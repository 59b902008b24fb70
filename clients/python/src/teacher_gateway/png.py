"""PNG encoding of RGB frames, standard library only (zlib), deterministic so equal frames hash equally."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any, Sequence, Union

__all__ = ["png_from_array", "png_from_rgb", "png_data_url"]

RgbInput = Union[bytes, bytearray, memoryview, Sequence[Sequence[Sequence[int]]]]


def png_from_array(frame: Any) -> bytes:
    """PNG file bytes of an RGB frame, its size taken from the frame itself.

    ``frame`` is an ``(height, width, 3)`` uint8 array (what ``env.render()`` returns with
    ``render_mode="rgb_array"``; any object with ``shape``, ``dtype`` and ``tobytes()``), or nested
    lists ``[row][column][channel]``.
    """
    shape = getattr(frame, "shape", None)
    if shape is not None:
        if len(shape) != 3 or shape[2] != 3:
            raise ValueError(f"expected an RGB frame of shape (height, width, 3), got shape {tuple(shape)}")
        dtype = str(getattr(frame, "dtype", "uint8"))
        if dtype != "uint8":
            raise ValueError(f"expected uint8 pixels, got {dtype} (convert with frame.astype('uint8'))")
        return _encode(int(shape[1]), int(shape[0]), frame.tobytes())  # tobytes() is row-major whatever the strides
    rows = list(frame)
    if not rows or not len(rows[0]):
        raise ValueError("expected a non-empty frame [row][column][channel]")
    height, width = len(rows), len(rows[0])
    return _encode(width, height, _flatten(rows, width, height))


def png_from_rgb(width: int, height: int, rgb: Any) -> bytes:
    """PNG file bytes of an 8-bit RGB image of an explicit size.

    ``rgb`` is ``width * height * 3`` bytes, row-major, an ``(height, width, 3)`` array, or nested
    lists ``[row][column][channel]``. Arrays and lists are checked against ``width`` and ``height``
    (a swapped pair is an error); prefer ``png_from_array``, which needs no size.
    """
    shape = getattr(rgb, "shape", None)
    if shape is not None:
        if tuple(shape) != (height, width, 3):
            raise ValueError(f"png_from_rgb({width}, {height}, ...) expects an array of shape ({height}, {width}, 3), got {tuple(shape)}; png_from_array(frame) reads the size from the shape")
        return png_from_array(rgb)
    if isinstance(rgb, (bytes, bytearray, memoryview)):
        data = bytes(rgb)
    else:
        data = _flatten(list(rgb), width, height)
    if len(data) != width * height * 3:
        raise ValueError(f"expected {width * height * 3} bytes for {width}x{height} RGB, got {len(data)}")
    return _encode(width, height, data)


def png_data_url(png: bytes) -> str:
    """``data:image/png;base64,...`` for ``observation.image``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _flatten(rows: list, width: int, height: int) -> bytes:
    if len(rows) != height or any(len(row) != width for row in rows):
        widths = sorted({len(row) for row in rows})
        raise ValueError(f"expected {height} rows of {width} pixels, got {len(rows)} rows of {widths} pixels (width and height swapped?)")
    try:
        return bytes(channel for row in rows for pixel in row for channel in _pixel(pixel))
    except ValueError as error:
        raise ValueError(f"pixels must be 3 channels of 0..255: {error}") from None


def _pixel(pixel: Sequence[int]) -> Sequence[int]:
    if len(pixel) != 3:
        raise ValueError(f"a pixel has {len(pixel)} channels")
    return pixel


def _encode(width: int, height: int, data: bytes) -> bytes:
    stride = width * 3
    # Filter type 0 (none) on every row: simple, and deterministic so equal frames hash equally.
    raw = b"".join(b"\x00" + data[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, colour type 2 = RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
