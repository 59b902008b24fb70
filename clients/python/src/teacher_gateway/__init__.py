"""Python client of the teacher gateway (VLM teachers for reinforcement learning).

``TeacherGateway`` speaks the HTTP API (docs/api.md in the repository) with the standard library;
``png_from_array`` turns an ``(height, width, 3)`` frame into PNG bytes; ``TeacherWrapper`` (from
``teacher_gateway.wrappers``, loaded on first use so that importing this package never imports
gymnasium) adds the teacher's suggestion to a Gymnasium environment's ``info``.
"""

from typing import Any

from .client import GatewayError, TeacherGateway
from .png import png_data_url, png_from_array, png_from_rgb

__all__ = ["GatewayError", "TeacherGateway", "TeacherWrapper", "png_data_url", "png_from_array", "png_from_rgb"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "TeacherWrapper":
        from .wrappers import TeacherWrapper

        return TeacherWrapper
    raise AttributeError(f"module 'teacher_gateway' has no attribute {name!r}")
