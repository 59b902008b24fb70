"""A Gymnasium-style training loop that asks the teacher gateway for an action distribution each step.

Runs with the standard library only: the environment below is a tiny stand-in with Gymnasium's
``reset``/``step`` semantics, so swap in ``gymnasium.make(...)`` (and ``env.render()`` frames) in a
real trainer. Several environments step in lockstep, as a vectorised env does, and each step asks
the gateway once for all of them (``suggest_batch``).

    python3 examples/python/gym_teacher_example.py --gateway http://127.0.0.1:8787 --steps 10
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
from typing import Any, Dict, List, Optional, Tuple

try:
    from teacher_gateway import GatewayError, TeacherGateway, png_from_rgb
except ImportError:  # not installed (pip install ./clients/python): use the repository's copy
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python", "src"))
    from teacher_gateway import GatewayError, TeacherGateway, png_from_rgb  # noqa: E402

LABELS = ["turn left", "turn right", "move forward", "pick up", "drop", "toggle", "done"]


class CorridorEnv:
    """A 1x7 corridor: the agent starts on the left and is rewarded for reaching the green goal.

    Gymnasium semantics: ``reset(seed) -> (observation, info)``,
    ``step(action) -> (observation, reward, terminated, truncated, info)``.
    """

    length = 7
    tile = 4

    def __init__(self, max_steps: int = 20) -> None:
        self.max_steps = max_steps
        self.position = 0
        self.steps = 0
        self.rng = random.Random()

    def reset(self, seed: Optional[int] = None) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        if seed is not None:
            self.rng.seed(seed)
        self.position = self.rng.randrange(0, 3)
        self.steps = 0
        return self._observation(), {}

    def step(self, action: int) -> Tuple[Dict[str, Any], float, bool, bool, Dict[str, Any]]:
        self.steps += 1
        if LABELS[action] == "move forward":
            self.position = min(self.length - 1, self.position + 1)
        terminated = self.position == self.length - 1
        reward = 1.0 - 0.9 * self.steps / self.max_steps if terminated else 0.0
        truncated = not terminated and self.steps >= self.max_steps
        return self._observation(), reward, terminated, truncated, {}

    def render_rgb(self) -> Tuple[int, int, bytes]:
        """(width, height, RGB bytes): grey floor, green goal, red agent."""
        width, height = self.length * self.tile, self.tile
        pixels = bytearray()
        for _ in range(height):
            for x in range(width):
                cell = x // self.tile
                colour = (255, 0, 0) if cell == self.position else (0, 200, 0) if cell == self.length - 1 else (90, 90, 90)
                pixels.extend(colour)
        return width, height, bytes(pixels)

    def _observation(self) -> Dict[str, Any]:
        width, height, rgb = self.render_rgb()
        return {"width": width, "height": height, "rgb": rgb, "mission": "get to the green goal square"}


class TeacherVectorEnv:
    """Steps several envs together and attaches the teacher's distribution for each to ``infos``."""

    def __init__(self, envs: List[CorridorEnv], gateway: TeacherGateway, template: str, run: str) -> None:
        self.envs = envs
        self.gateway = gateway
        self.template = template
        self.run = run
        self.step_index = 0

    def teacher(self, observations: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        requests = []
        for index, observation in enumerate(observations):
            png = png_from_rgb(observation["width"], observation["height"], observation["rgb"])
            requests.append(
                TeacherGateway.request(
                    template=self.template,
                    observation={"image": self.gateway.image_ref(png), "text": observation["mission"]},
                    actions={"kind": "discrete", "labels": LABELS},
                    tags={"run": self.run, "env": index, "step": self.step_index},
                )
            )
        results = self.gateway.suggest_batch(requests)
        for result in results:
            if isinstance(result, GatewayError):
                raise result
        return results  # type: ignore[return-value]


def sample(probs: List[float], rng: random.Random) -> int:
    threshold, total = rng.random(), 0.0
    for index, p in enumerate(probs):
        total += p
        if threshold < total:
            return index
    return len(probs) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gateway", default=os.environ.get("TEACHER_GATEWAY_URL", "http://127.0.0.1:8787"))
    parser.add_argument("--token", default=os.environ.get("GATEWAY_TOKEN"))
    parser.add_argument("--template", default="minigrid-lvlm2p")
    parser.add_argument("--envs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    gateway = TeacherGateway(args.gateway, token=args.token)
    rng = random.Random(args.seed)
    envs = [CorridorEnv() for _ in range(args.envs)]
    vector = TeacherVectorEnv(envs, gateway, args.template, run=f"python-example-s{args.seed}")
    observations = [env.reset(seed=args.seed + index)[0] for index, env in enumerate(envs)]
    returns = [0.0] * len(envs)
    cache: Dict[str, int] = {}
    entropies: List[float] = []
    for step in range(args.steps):
        vector.step_index = step
        suggestions = vector.teacher(observations)
        for index, (env, suggestion) in enumerate(zip(envs, suggestions)):
            probs = suggestion["probs"]
            assert abs(sum(probs) - 1.0) < 1e-6, probs
            action = sample(probs, rng)  # a student would mix this with its own policy
            observation, reward, terminated, truncated, _ = env.step(action)
            returns[index] += reward
            if terminated or truncated:
                observation, _ = env.reset()
            observations[index] = observation
            cache[suggestion["cache"]] = cache.get(suggestion["cache"], 0) + 1
            entropies.append(suggestion["entropy"])
            print(f"step {step} env {index}: {LABELS[action]!r} (teacher p={probs[action]:.2f}, cache {suggestion['cache']})")
    summary = {
        "steps": args.steps,
        "envs": len(envs),
        "suggestions": sum(cache.values()),
        "cache": cache,
        "meanEntropy": sum(entropies) / len(entropies) if entropies else math.nan,
        "returns": returns,
        "uploadedImages": len(gateway.known_images),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
