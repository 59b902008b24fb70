"""A Gymnasium-style wrapper that asks the teacher gateway about every observation.

With ``gymnasium`` installed, ``TeacherWrapper`` is a ``gymnasium.Wrapper`` (so ``env.unwrapped``,
spaces and the wrapper stack behave as usual); without it, the same class wraps any object with
Gymnasium's ``reset``/``step``/``render`` methods and imports nothing beyond the standard library.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from .client import TeacherGateway
from .png import png_from_array

try:  # optional: only for the base class
    import gymnasium as _gymnasium
except ImportError:  # pragma: no cover - depends on the environment
    _gymnasium = None

__all__ = ["TeacherWrapper"]


class _PlainWrapper:
    """What ``gymnasium.Wrapper`` provides that this wrapper relies on, for environments without gymnasium."""

    def __init__(self, env: Any) -> None:
        self.env = env

    def __getattr__(self, name: str) -> Any:
        if name == "env":  # not set yet: avoid recursing through __getattr__
            raise AttributeError(name)
        return getattr(self.env, name)

    def reset(self, **kwargs: Any) -> Any:
        return self.env.reset(**kwargs)

    def step(self, action: Any) -> Any:
        return self.env.step(action)

    def render(self) -> Any:
        return self.env.render()

    def close(self) -> Any:
        return self.env.close()

    @property
    def unwrapped(self) -> Any:
        return getattr(self.env, "unwrapped", self.env)


_Base: Any = _gymnasium.Wrapper if _gymnasium is not None else _PlainWrapper


class TeacherWrapper(_Base):
    """Puts the teacher's suggestion for the current observation in ``info["teacher"]``.

    Each ``reset`` and ``step`` renders the frame (``env.render()``, so make the env with
    ``render_mode="rgb_array"``, or pass ``frame``), uploads it once by hash and asks the gateway;
    the suggestion dict (``probs``, ``action``, ``entropy``, ``cache``...) goes into ``info``.

        env = TeacherWrapper(gymnasium.make("MiniGrid-DoorKey-5x5-v0", render_mode="rgb_array"),
                             TeacherGateway(), template="minigrid-lvlm2p", labels=LABELS)
        observation, info = env.reset(seed=1)
        info["teacher"]["probs"]
    """

    def __init__(
        self,
        env: Any,
        gateway: TeacherGateway,
        template: str,
        labels: Sequence[str],
        mission: Union[str, Callable[[Any], str], None] = None,
        frame: Optional[Callable[[Any, Any], Any]] = None,
        provider: Optional[str] = None,
        tags: Optional[Dict[str, Union[str, int, float]]] = None,
        info_key: str = "teacher",
    ) -> None:
        super().__init__(env)
        self.gateway = gateway
        self.template = template
        self.labels: List[str] = list(labels)
        self.mission = mission
        self.frame = frame
        self.provider = provider
        self.tags = dict(tags or {})
        self.info_key = info_key
        self.steps = 0

    def reset(self, **kwargs: Any) -> Tuple[Any, Dict[str, Any]]:
        observation, info = self.env.reset(**kwargs)
        self.steps = 0
        return observation, self._with_teacher(observation, info)

    def step(self, action: Any) -> Tuple[Any, Any, bool, bool, Dict[str, Any]]:
        observation, reward, terminated, truncated, info = self.env.step(action)
        self.steps += 1
        return observation, reward, terminated, truncated, self._with_teacher(observation, info)

    def ask(self, observation: Any) -> Dict[str, Any]:
        """The teacher's suggestion for an observation of this environment."""
        frame = self.frame(self.env, observation) if self.frame is not None else self.env.render()
        text = self._mission(observation)
        request_observation: Dict[str, Any] = {"image": self.gateway.image_ref(png_from_array(frame))}
        if text is not None:
            request_observation["text"] = text
        return self.gateway.suggest(
            template=self.template,
            observation=request_observation,
            actions={"kind": "discrete", "labels": self.labels},
            provider=self.provider,
            tags={**self.tags, "step": self.steps},
        )

    def _mission(self, observation: Any) -> Optional[str]:
        if callable(self.mission):
            return self.mission(observation)
        if self.mission is not None:
            return self.mission
        if isinstance(observation, dict) and isinstance(observation.get("mission"), str):
            return observation["mission"]
        return None

    def _with_teacher(self, observation: Any, info: Dict[str, Any]) -> Dict[str, Any]:
        info = dict(info)
        info[self.info_key] = self.ask(observation)
        return info
