"""PNG encoding: sizes come from the frame, swapped sizes are refused."""

from __future__ import annotations

import struct
import unittest
import zlib

import live_gateway  # noqa: F401  (puts the package on sys.path when it is not installed)
from teacher_gateway import png_from_array, png_from_rgb


class Frame:
    """A stand-in for a numpy array: shape, dtype and row-major bytes."""

    def __init__(self, rows):
        self.rows = rows
        self.shape = (len(rows), len(rows[0]), len(rows[0][0]))
        self.dtype = "uint8"

    def tobytes(self) -> bytes:
        return bytes(c for row in self.rows for pixel in row for c in pixel)


def decode(png: bytes):
    width, height = struct.unpack(">II", png[16:24])
    idat_length = struct.unpack(">I", png[33:37])[0]
    raw = zlib.decompress(png[41 : 41 + idat_length])
    stride = width * 3 + 1
    return width, height, [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]


ROWS = [[[x * 10, y * 10, 7] for x in range(5)] for y in range(2)]  # 2 rows of 5 pixels


class PngTest(unittest.TestCase):
    def test_png_from_array_takes_width_and_height_from_the_shape(self) -> None:
        width, height, rows = decode(png_from_array(Frame(ROWS)))
        self.assertEqual((width, height), (5, 2))
        self.assertEqual(rows[1][:6], bytes([0, 10, 7, 10, 10, 7]))
        self.assertEqual(png_from_array(ROWS), png_from_array(Frame(ROWS)))

    def test_png_from_array_refuses_non_rgb_frames(self) -> None:
        with self.assertRaisesRegex(ValueError, r"shape \(height, width, 3\)"):
            png_from_array(Frame([[[1, 2, 3, 4]]]))
        frame = Frame(ROWS)
        frame.dtype = "float32"
        with self.assertRaisesRegex(ValueError, "uint8"):
            png_from_array(frame)

    def test_png_from_rgb_refuses_a_swapped_width_and_height(self) -> None:
        self.assertEqual(png_from_rgb(5, 2, ROWS), png_from_array(ROWS))
        with self.assertRaisesRegex(ValueError, "swapped"):
            png_from_rgb(2, 5, ROWS)
        with self.assertRaisesRegex(ValueError, r"shape \(5, 2, 3\)"):
            png_from_rgb(2, 5, Frame(ROWS))

    def test_png_from_rgb_checks_the_byte_count(self) -> None:
        with self.assertRaisesRegex(ValueError, "expected 30 bytes"):
            png_from_rgb(5, 2, b"\x00" * 29)

    def test_numpy_frames_when_numpy_is_installed(self) -> None:
        try:
            import numpy
        except ImportError:
            self.skipTest("numpy is not installed")
        frame = numpy.array(ROWS, dtype=numpy.uint8)
        self.assertEqual(png_from_array(frame), png_from_array(ROWS))
        self.assertEqual(png_from_array(frame.transpose(1, 0, 2).transpose(1, 0, 2)), png_from_array(ROWS))


if __name__ == "__main__":
    unittest.main()
