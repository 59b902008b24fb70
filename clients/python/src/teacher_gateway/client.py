"""The HTTP client of the teacher gateway (the contract: docs/api.md in the repository).

Standard library only; one keep-alive connection per thread:

    from teacher_gateway import TeacherGateway, png_from_array

    gateway = TeacherGateway("http://127.0.0.1:8787", token=None)
    png = png_from_array(frame)  # an (height, width, 3) uint8 array, e.g. env.render()
    suggestion = gateway.suggest(
        template="minigrid-lvlm2p",
        observation={"image": gateway.image_ref(png), "text": mission},
        actions={"kind": "discrete", "labels": labels},
    )
    probs = suggestion["probs"]
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
import urllib.parse
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

__all__ = ["GatewayError", "TeacherGateway"]

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
        self._transport = _KeepAliveTransport(self.base_url, timeout)

    def close(self) -> None:
        """Closes this thread's connection (others close when their threads end)."""
        self._transport.close()

    def __enter__(self) -> "TeacherGateway":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # -- suggestions -------------------------------------------------------------------------
    def suggest(self, template: str, observation: Dict[str, Any], actions: Dict[str, Any], **options: Any) -> Dict[str, Any]:
        """One observation in, one suggestion (``probs``, ``action``, ``entropy``, ...) out.

        ``options`` are ``request``'s: ``provider``, ``distribution``, ``cache``, ``seed``, ``tags``."""
        return self._json("POST", "/v1/suggestions", self.request(template, observation, actions, **options))

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
                status, response_headers, payload = self._transport.request(method, path, data, headers)
                if status < 400:
                    return json.loads(payload.decode("utf-8"))
                error = _read_error(status, response_headers, payload)
            except (OSError, http.client.HTTPException) as network_error:
                error = GatewayError("network_error", f"{self.base_url}: {network_error}", 0)
            if not error.retryable or attempt >= self.retries:
                raise error
            wait = error.retry_after if error.retry_after is not None else self.backoff * (2**attempt)
            time.sleep(min(wait, 30.0))
            attempt += 1


class _KeepAliveTransport:
    """One persistent HTTP/1.1 connection per thread (``urllib`` opens a new one per request)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an http:// or https:// URL, got {base_url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout
        self._local = threading.local()
        self.connections_opened = 0

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            factory = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            connection = factory(self._host, self._port, timeout=self._timeout)
            self._local.connection = connection
            self.connections_opened += 1
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()

    def request(self, method: str, path: str, body: Optional[bytes], headers: Dict[str, str]) -> Tuple[int, Any, bytes]:
        for attempt in (0, 1):
            connection = self._connection()
            reused = connection.sock is not None
            try:
                connection.request(method, self._prefix + path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # The server closed an idle kept-alive connection before reading this request: a
                # fresh connection is safe to try once. A new connection failing is a real error.
                if reused and attempt == 0:
                    continue
                raise
            except BaseException:
                self.close()
                raise
            if response.will_close:
                self.close()
            return response.status, response.headers, payload
        raise AssertionError("unreachable")


def _read_error(status: int, headers: Any, payload: bytes) -> GatewayError:
    retry_after_header = headers.get("retry-after") if headers else None
    retry_after = float(retry_after_header) if retry_after_header and retry_after_header.replace(".", "", 1).isdigit() else None
    text = payload.decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return GatewayError.from_body(body, status, retry_after)
    # Not the gateway's error shape (a proxy answered); the status still decides retries.
    return GatewayError("invalid_response", text[:200], status, None, retry_after)
