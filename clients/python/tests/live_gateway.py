"""A live gateway for the tests: TEACHER_GATEWAY_URL if set, else the repository's built gateway and
simulated VLM started on free ports (needs `npm ci` or `npm run build` first)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

try:
    import teacher_gateway  # noqa: F401  (the installed package, as users get it)
except ImportError:  # not installed: the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

REPOSITORY = Path(__file__).resolve().parents[3]
LABELS = ["turn left", "turn right", "move forward", "pick up", "drop", "toggle", "done"]
FRAME = REPOSITORY / "examples" / "frames" / "doorkey-5x5-seed0.png"
MISSION = "use the key to open the door and then get to the goal"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveGateway:
    def __init__(self) -> None:
        self.url = os.environ.get("TEACHER_GATEWAY_URL", "")
        self._processes: List[subprocess.Popen] = []
        self._folder: Optional[tempfile.TemporaryDirectory] = None

    def start(self) -> str:
        if self.url:
            return self.url
        simulated, port = _free_port(), _free_port()
        self._folder = tempfile.TemporaryDirectory()
        config = Path(self._folder.name) / "gateway.config.yaml"
        config.write_text(
            f"server: {{ host: 127.0.0.1, port: {port} }}\n"
            "storage: { path: ':memory:' }\n"
            f"templates: {{ dir: {json.dumps(str(REPOSITORY / 'prompts'))} }}\n"
            "defaultProvider: simulated\n"
            "providers:\n"
            f"  - {{ id: simulated, kind: openai-compatible, baseURL: 'http://127.0.0.1:{simulated}/v1', model: simulated-planner }}\n"
        )
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self._processes.append(subprocess.Popen(["node", str(REPOSITORY / "trainer/bin/teacher-train.js"), "simulated-vlm", "--port", str(simulated)], **quiet))
        self._processes.append(subprocess.Popen(["node", str(REPOSITORY / "gateway/bin/teacher-gateway.js"), "serve", "--config", str(config)], **quiet))
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self.url
            except OSError:
                if time.monotonic() > deadline or any(p.poll() is not None for p in self._processes):
                    self.stop()
                    raise RuntimeError("the gateway did not start; run `npm ci` (or `npm run build`) in the repository first")
                time.sleep(0.2)

    def stop(self) -> None:
        for process in self._processes:
            process.terminate()
            process.wait(timeout=10)
        self._processes.clear()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
