"""A stdlib-only client for the teacher gateway (the contract: docs/api.md in the repository).

Copy this one file next to a Python trainer; it needs nothing beyond the standard library:

    from teacher_gateway import TeacherGateway, png_from_rgb

    gateway = TeacherGateway("http://127.0.0.1:8787", token=None)
    png = png_from_rgb(width, height, rgb_bytes)
    suggestion = gateway.suggest(
        template="minigrid-lvlm2p",
        observation={"image": gateway.image_ref(png), "text": mission},
        actions={"kind": "discrete", "labels": labels},
    )
    probs = suggestion["probs"]
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

__all__ = ["GatewayError", "TeacherGateway", "png_from_rgb", "png_data_url"]

_RETRYABLE_STATUSES = {429, 502, 503, 504}


class GatewayError(Exception):
    """An error answer of the gateway, or no answer at all.

    ``code`` is the gateway's error code (``invalid_request``, ``not_cached``, ``rate_limited``, ...)
    or ``network_error`` when no response arrived; ``status`` is the HTTP status (0 without one).
    """

    def __init__(
        self,
        code: str,
        message: str,
        status: int,
        details: Optional[Dict[str, Any]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Whether asking again may succeed: rate limits, provider failures, lost connections."""
        return self.code == "network_error" or self.status in _RETRYABLE_STATUSES

    @classmethod
    def from_body(cls, body: Dict[str, Any], status: Optional[int] = None, retry_after: Optional[float] = None) -> "GatewayError":
        error = body.get("error", {})
        code = str(error.get("code", "invalid_response"))
        return cls(code, str(error.get("message", "")), status if status is not None else _STATUS_OF.get(code, 0), error.get("details"), retry_after)


_STATUS_OF = {
    "invalid_request": 400,
    "unauthorized": 401,
    "not_found": 404,
    "not_cached": 404,
    "payload_too_large": 413,
    "unparsable_response": 422,
    "rate_limited": 429,
    "internal_error": 500,
    "provider_error": 502,
    "provider_unavailable": 503,
    "storage_unavailable": 503,
    "provider_timeout": 504,
}

RgbInput = Union[bytes, bytearray, memoryview, Sequence[Sequence[Sequence[int]]]]


def png_from_rgb(width: int, height: int, rgb: RgbInput) -> bytes:
    """PNG file bytes of an 8-bit RGB image.

    ``rgb`` is either ``width * height * 3`` bytes, row-major, or nested lists ``[row][column][channel]``
    (what ``numpy_array.tolist()`` gives for an ``(height, width, 3)`` frame).
    """
    if isinstance(rgb, (bytes, bytearray, memoryview)):
        data = bytes(rgb)
    else:
        data = bytes(channel for row in rgb for pixel in row for channel in pixel)
    if len(data) != width * height * 3:
        raise ValueError(f"expected {width * height * 3} bytes for {width}x{height} RGB, got {len(data)}")
    stride = width * 3
    # Filter type 0 (none) on every row: simple, and deterministic so equal frames hash equally.
    raw = b"".join(b"\x00" + data[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, colour type 2 = RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def png_data_url(png: bytes) -> str:
    """``data:image/png;base64,...`` for ``observation.image``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class TeacherGateway:
    """Typed-ish access to the gateway's HTTP API with retries of retryable errors."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8787",
        token: Optional[str] = None,
        timeout: float = 120.0,
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._known_images: set = set()

    # -- suggestions -------------------------------------------------------------------------
    def suggest(
        self,
        template: str,
        observation: Dict[str, Any],
        actions: Dict[str, Any],
        provider: Optional[str] = None,
        distribution: Optional[Dict[str, Any]] = None,
        cache: Optional[str] = None,
        seed: Optional[int] = None,
        tags: Optional[Dict[str, Union[str, int, float]]] = None,
    ) -> Dict[str, Any]:
        """One observation in, one suggestion (``probs``, ``action``, ``entropy``, ...) out."""
        return self._json("POST", "/v1/suggestions", self.request(template, observation, actions, provider, distribution, cache, seed, tags))

    def suggest_batch(self, requests: Iterable[Dict[str, Any]]) -> List[Union[Dict[str, Any], GatewayError]]:
        """Many requests in one HTTP call; each result is a suggestion dict or a ``GatewayError``."""
        body = self._json("POST", "/v1/suggestions:batch", {"requests": list(requests)})
        return [GatewayError.from_body(item) if "error" in item else item for item in body["results"]]

    @staticmethod
    def request(
        template: str,
        observation: Dict[str, Any],
        actions: Dict[str, Any],
        provider: Optional[str] = None,
        distribution: Optional[Dict[str, Any]] = None,
        cache: Optional[str] = None,
        seed: Optional[int] = None,
        tags: Optional[Dict[str, Union[str, int, float]]] = None,
    ) -> Dict[str, Any]:
        """A suggestion request body, for ``suggest_batch``."""
        body: Dict[str, Any] = {"template": template, "observation": observation, "actions": actions}
        optional = {"provider": provider, "distribution": distribution, "cache": cache, "seed": seed, "tags": tags}
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

    # -- images ------------------------------------------------------------------------------
    def upload_image(self, image: Union[bytes, str]) -> Dict[str, Any]:
        """Stores PNG/JPEG/WebP bytes or a data URL; answers ``{"sha256", "mediaType", "bytes", "created"}``."""
        if isinstance(image, str):
            return self._json("POST", "/v1/images", {"image": image})
        content_type = "image/png" if image[:4] == b"\x89PNG" else "application/octet-stream"
        stored = self._json("POST", "/v1/images", bytes(image), content_type)
        self._known_images.add(stored["sha256"])
        return stored

    @property
    def known_images(self) -> frozenset:
        """Hashes of the images this client uploaded (or referenced successfully)."""
        return frozenset(self._known_images)

    def image_ref(self, png: bytes) -> Dict[str, str]:
        """``{"sha256": ...}`` for ``observation.image``, uploading the image the first time it is seen."""
        digest = hashlib.sha256(png).hexdigest()
        if digest not in self._known_images:
            self.upload_image(png)
        return {"sha256": digest}

    # -- the rest of the API -----------------------------------------------------------------
    def providers(self) -> Dict[str, Any]:
        return self._json("GET", "/v1/providers")

    def templates(self) -> Dict[str, Any]:
        return self._json("GET", "/v1/templates")

    def cache_stats(self) -> Dict[str, Any]:
        return self._json("GET", "/v1/cache/stats")

    def logs(self, **query: Union[str, int]) -> Dict[str, Any]:
        return self._json("GET", "/v1/logs?" + urllib.parse.urlencode(query))

    def health(self) -> Dict[str, Any]:
        return self._json("GET", "/healthz")

    # -- transport ---------------------------------------------------------------------------
    def _json(self, method: str, path: str, body: Any = None, content_type: str = "application/json") -> Any:
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        headers = {"accept": "application/json"}
        if data is not None:
            headers["content-type"] = content_type
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        attempt = 0
        while True:
            try:
                request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as http_error:
                error = _read_error(http_error)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as network_error:
                error = GatewayError("network_error", str(network_error), 0)
            if not error.retryable or attempt >= self.retries:
                raise error
            wait = error.retry_after if error.retry_after is not None else self.backoff * (2**attempt)
            time.sleep(min(wait, 30.0))
            attempt += 1


def _read_error(http_error: urllib.error.HTTPError) -> GatewayError:
    retry_after_header = http_error.headers.get("retry-after") if http_error.headers else None
    retry_after = float(retry_after_header) if retry_after_header and retry_after_header.replace(".", "", 1).isdigit() else None
    text = http_error.read().decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return GatewayError.from_body(body, http_error.code, retry_after)
    # Not the gateway's error shape (a proxy answered); the status still decides retries.
    return GatewayError("invalid_response", text[:200], http_error.code, None, retry_after)
