"""Real-time transcription over ``WS /v1/stream`` (the contract's protocol):

1. connect, send the JSON config ``{"language": ..., "model": ...}``, wait for ``{"status": "ready"}``;
2. send raw PCM (16-bit signed little-endian, 16 kHz, mono) as binary frames;
3. receive ``{"partial": ...}`` (interim) and ``{"text": ...}`` (finalised segments);
4. send ``{"action": "stop"}`` and read until ``{"is_final": true}``.

``StreamSession`` is the blocking helper (websockets' sync client), ``AsyncStreamSession`` the asyncio one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, AsyncIterable, Callable, Dict, Iterable, List, Optional, Union
from urllib.parse import urlsplit, urlunsplit

from .errors import APIConnectionError, APIError

MessageCallback = Callable[[Dict[str, Any]], None]
SAMPLE_RATE = 16000


class StreamError(APIError):
    """The server sent ``{"error": ...}`` on the stream, or closed it before ``is_final``."""


def ws_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/v1/stream", "", ""))


def _headers(api_key: Optional[str]) -> Dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


def _config(language: str, model: Optional[str]) -> str:
    return json.dumps({"language": language, **({"model": model} if model else {})})


@dataclass
class StreamResult:
    """Everything a finished stream said: the finalised segments in order and every message."""

    texts: List[str] = field(default_factory=list)
    partials: List[str] = field(default_factory=list)
    messages: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(t.strip() for t in self.texts if t.strip())


class _Collector:
    def __init__(self, on_partial: Optional[Callable[[str], None]], on_text: Optional[Callable[[str], None]]) -> None:
        self.result = StreamResult()
        self.final = False
        self._on_partial, self._on_text = on_partial, on_text

    def take(self, raw: Union[str, bytes]) -> Dict[str, Any]:
        msg = json.loads(raw)
        self.result.messages.append(msg)
        if isinstance(msg.get("error"), str):
            raise StreamError(msg["error"], status=int(msg.get("status") or 400), body=msg)
        if msg.get("partial"):
            self.result.partials.append(msg["partial"])
            if self._on_partial:
                self._on_partial(msg["partial"])
        if msg.get("text"):
            self.result.texts.append(msg["text"])
            if self._on_text:
                self._on_text(msg["text"])
        if msg.get("is_final") is True:
            self.final = True
        return msg


class StreamSession:
    """Blocking session. ``with client.stream(language="en") as s: s.send_audio(pcm); result = s.finish()``."""

    def __init__(self, ws: Any, collector: _Collector) -> None:
        self._ws, self._c = ws, collector

    @classmethod
    def connect(cls, base_url: str, api_key: Optional[str], *, language: str = "auto", model: Optional[str] = None,
                open_timeout: float = 30.0, on_partial: Optional[Callable[[str], None]] = None,
                on_text: Optional[Callable[[str], None]] = None) -> "StreamSession":
        from websockets.sync.client import connect

        try:
            ws = connect(ws_url(base_url), additional_headers=_headers(api_key), open_timeout=open_timeout, max_size=None)
        except OSError as e:
            raise APIConnectionError(f"Could not open {ws_url(base_url)}: {e}") from e
        except Exception as e:  # websockets.InvalidStatus: the HTTP upgrade was refused (401, 429...)
            raise _refused(e) from e
        session = cls(ws, _Collector(on_partial, on_text))
        try:
            ws.send(_config(language, model))
            while True:  # until ready (an error before it raises)
                if session._c.take(ws.recv(timeout=open_timeout)).get("status") == "ready":
                    return session
        except Exception as e:
            ws.close()
            raise _before_ready(e) from e

    def on(self, *, partial: Optional[Callable[[str], None]] = None, text: Optional[Callable[[str], None]] = None) -> "StreamSession":
        self._c._on_partial, self._c._on_text = partial or self._c._on_partial, text or self._c._on_text
        return self

    def send_audio(self, pcm: bytes) -> None:
        """One binary frame of PCM; messages that arrived meanwhile are handed to the callbacks."""
        self._ws.send(pcm)
        self._drain(0)

    def _drain(self, timeout: float) -> None:
        while not self._c.final:
            try:
                raw = self._ws.recv(timeout=timeout)
            except TimeoutError:
                return
            self._c.take(raw)

    def finish(self, timeout: float = 120.0) -> StreamResult:
        """Sends ``{"action": "stop"}`` and reads until ``is_final``."""
        from websockets.exceptions import ConnectionClosed

        self._ws.send(json.dumps({"action": "stop"}))
        try:
            while not self._c.final:
                self._c.take(self._ws.recv(timeout=timeout))
        except ConnectionClosed as e:
            raise StreamError(f"The stream closed before it was final ({e}).", status=502) from e
        except TimeoutError as e:
            raise StreamError(f"No final message within {timeout} s.", status=504) from e
        return self._c.result

    @property
    def result(self) -> StreamResult:
        return self._c.result

    def close(self) -> None:
        self._ws.close()

    def __enter__(self) -> "StreamSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncStreamSession:
    """asyncio session. ``async with await client.stream(...) as s: await s.send_audio(pcm); await s.finish()``."""

    def __init__(self, ws: Any, collector: _Collector) -> None:
        self._ws, self._c = ws, collector

    @classmethod
    async def connect(cls, base_url: str, api_key: Optional[str], *, language: str = "auto", model: Optional[str] = None,
                      open_timeout: float = 30.0, on_partial: Optional[Callable[[str], None]] = None,
                      on_text: Optional[Callable[[str], None]] = None) -> "AsyncStreamSession":
        import asyncio

        from websockets.asyncio.client import connect

        try:
            ws = await connect(ws_url(base_url), additional_headers=_headers(api_key), open_timeout=open_timeout, max_size=None)
        except OSError as e:
            raise APIConnectionError(f"Could not open {ws_url(base_url)}: {e}") from e
        except Exception as e:
            raise _refused(e) from e
        session = cls(ws, _Collector(on_partial, on_text))
        try:
            await ws.send(_config(language, model))
            while True:
                if session._c.take(await asyncio.wait_for(ws.recv(), open_timeout)).get("status") == "ready":
                    return session
        except Exception as e:
            await ws.close()
            raise _before_ready(e) from e

    async def send_audio(self, pcm: bytes) -> None:
        import asyncio

        await self._ws.send(pcm)
        while not self._c.final:
            try:
                raw = await asyncio.wait_for(self._ws.recv(), 0.001)
            except asyncio.TimeoutError:
                return
            self._c.take(raw)

    async def finish(self, timeout: float = 120.0) -> StreamResult:
        import asyncio

        from websockets.exceptions import ConnectionClosed

        await self._ws.send(json.dumps({"action": "stop"}))
        try:
            while not self._c.final:
                self._c.take(await asyncio.wait_for(self._ws.recv(), timeout))
        except ConnectionClosed as e:
            raise StreamError(f"The stream closed before it was final ({e}).", status=502) from e
        except asyncio.TimeoutError as e:
            raise StreamError(f"No final message within {timeout} s.", status=504) from e
        return self._c.result

    @property
    def result(self) -> StreamResult:
        return self._c.result

    async def close(self) -> None:
        await self._ws.close()

    async def __aenter__(self) -> "AsyncStreamSession":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


def _before_ready(e: Exception) -> Exception:
    """The server's own {"error"} stays as is; a close or a timeout before ready becomes a StreamError."""
    if isinstance(e, APIError):
        return e
    if isinstance(e, (TimeoutError, asyncio_timeout())):
        return StreamError("The stream was not ready in time.", status=504)
    code = getattr(getattr(e, "rcvd", None), "code", None)
    reason = getattr(getattr(e, "rcvd", None), "reason", "") or ""
    # The close code says why when the {"error"} message did not arrive first (api/stream/close-codes.ts).
    status = {1008: 400, 4002: 402, 4029: 429, 1011: 500, 1001: 503}.get(code or 0, 502)
    err = StreamError(reason or f"The stream closed before it was ready ({e}).", status=status, body={"error": reason or str(e), "close_code": code})
    return err


def asyncio_timeout() -> type:
    import asyncio

    return asyncio.TimeoutError


def _refused(e: Exception) -> Exception:
    """An HTTP answer instead of an upgrade becomes the same exception class as on the REST routes."""
    from .errors import error_from_response

    response = getattr(e, "response", None)
    if response is None:
        return APIConnectionError(str(e))
    try:
        body = json.loads(bytes(response.body or b"").decode("utf-8") or "null")
    except ValueError:
        body = None
    return error_from_response(response.status_code, body, dict(response.headers.raw_items()) if hasattr(response.headers, "raw_items") else {})


def stream_pcm(session: StreamSession, pcm: Union[bytes, Iterable[bytes]], chunk_bytes: int = 8192) -> StreamResult:
    """Sends all of ``pcm`` (bytes, cut in 4096-sample frames, or an iterable of frames) and finishes."""
    frames = (pcm[i:i + chunk_bytes] for i in range(0, len(pcm), chunk_bytes)) if isinstance(pcm, (bytes, bytearray)) else pcm
    for frame in frames:
        session.send_audio(bytes(frame))
    return session.finish()


async def astream_pcm(session: AsyncStreamSession, pcm: Union[bytes, AsyncIterable[bytes], Iterable[bytes]], chunk_bytes: int = 8192) -> StreamResult:
    if isinstance(pcm, (bytes, bytearray)):
        for i in range(0, len(pcm), chunk_bytes):
            await session.send_audio(bytes(pcm[i:i + chunk_bytes]))
    elif hasattr(pcm, "__aiter__"):
        async for frame in pcm:  # type: ignore[union-attr]
            await session.send_audio(bytes(frame))
    else:
        for frame in pcm:  # type: ignore[union-attr]
            await session.send_audio(bytes(frame))
    return await session.finish()
