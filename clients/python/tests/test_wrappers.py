"""TeacherWrapper around a Gymnasium-style environment, against a live gateway."""

from __future__ import annotations

import subprocess
import sys
import unittest

from live_gateway import FRAME, LABELS, MISSION, LiveGateway
from teacher_gateway import TeacherGateway
from teacher_gateway.wrappers import TeacherWrapper

live = LiveGateway()


def setUpModule() -> None:
    live.start()


def tearDownModule() -> None:
    live.stop()


class FrameEnv:
    """Gymnasium's reset/step/render semantics; renders the DoorKey frame read back from its PNG."""

    def __init__(self, rows):
        self.rows = rows
        self.closed = False
        self.render_mode = "rgb_array"

    def reset(self, seed=None, options=None):
        return {"mission": MISSION}, {"seed": seed}

    def step(self, action):
        return {"mission": MISSION}, 0.0, False, False, {"action": action}

    def render(self):
        return self.rows

    def close(self):
        self.closed = True


def doorkey_rows():
    # The teacher reads the picture, so the frame must be the real render: decode the example PNG.
    import struct
    import zlib

    png = FRAME.read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) in ((8, 2), (8, 6)), "an 8-bit RGB(A) PNG"
    channels = 3 if colour == 2 else 4
    data, offset = b"", 8
    while offset < len(png):
        length = struct.unpack(">I", png[offset : offset + 4])[0]
        if png[offset + 4 : offset + 8] == b"IDAT":
            data += png[offset + 8 : offset + 8 + length]
        offset += length + 12
    raw = zlib.decompress(data)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([list(line[x * channels : x * channels + 3]) for x in range(width)])
        previous = line
    return rows


class WrapperTest(unittest.TestCase):
    def test_reset_and_step_put_the_teacher_suggestion_in_info(self) -> None:
        gateway = TeacherGateway(live.url)
        env = TeacherWrapper(FrameEnv(doorkey_rows()), gateway, template="minigrid-lvlm2p", labels=LABELS, tags={"run": "wrapper-test"})
        observation, info = env.reset(seed=3)
        self.assertEqual(info["seed"], 3, "the wrapped env's info is kept")
        self.assertEqual(info["teacher"]["action"], 1)
        self.assertAlmostEqual(sum(info["teacher"]["probs"]), 1.0, places=6)
        _, _, terminated, truncated, info = env.step(info["teacher"]["action"])
        self.assertEqual(info["action"], 1)
        self.assertEqual(info["teacher"]["cache"], "hit", "the same frame and mission again")
        env.close()
        self.assertTrue(env.unwrapped.closed)
        gateway.close()

    def test_importing_the_package_does_not_import_gymnasium(self) -> None:
        code = "import sys, teacher_gateway; assert 'gymnasium' not in sys.modules; print(teacher_gateway.TeacherWrapper.__name__)"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": ":".join(sys.path)})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "TeacherWrapper")


if __name__ == "__main__":
    unittest.main()
