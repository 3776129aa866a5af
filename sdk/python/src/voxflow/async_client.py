"""The asyncio client: the same methods as :class:`voxflow.Client`, awaited."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Union, cast

import httpx

from . import _core as core
from ._core import FileInput, ProgressCallback, Spec
from .errors import APIConnectionError, JobTimeoutError
from .stream import AsyncStreamSession
from .types import (Account, ApiKey, ChatAnswer, Embeddings, Health, Job, LanguageList, ModelList, Summary,
                    Transcript, TranscriptList)


class AsyncClient:
    """voxflow over HTTP, for asyncio. ``api_key`` / ``base_url`` default to ``VOXFLOW_API_KEY`` / ``VOXFLOW_BASE_URL``
    (else anonymous, ``http://localhost:8080``).

    Job endpoints (transcribe, summarize, ...) take ``wait``: ``True`` (default) returns the result,
    ``False`` returns the submitted :class:`Job` at once (poll it with ``client.jobs.wait``). With
    ``on_progress`` the job is submitted asynchronously and polled, and the callback gets each new
    :class:`Job` view (overall and per-step progress, credits).
    """

    def __init__(self, api_key: Optional[str] = None, base_url: Optional[str] = None, *,
                 timeout: Union[float, httpx.Timeout] = core.DEFAULT_TIMEOUT, poll_interval: float = 1.0,
                 http_client: Optional[httpx.AsyncClient] = None) -> None:
        self.api_key, self.base_url = core.resolve_settings(api_key, base_url)
        self.poll_interval = poll_interval
        self._http = http_client or httpx.AsyncClient(base_url=self.base_url, timeout=timeout, headers=core.default_headers(self.api_key))
        self.jobs = Jobs(self)
        self.transcripts = Transcripts(self)
        self.keys = Keys(self)

    # -- plumbing -------------------------------------------------------------------------------
    async def _send(self, spec: Spec) -> httpx.Response:
        try:
            for attempt in range(3):
                try:
                    resp = await self._http.request(spec.method, spec.path, **spec.kwargs())
                    break
                except (httpx.RemoteProtocolError, httpx.ReadError):
                    # A kept-alive connection closed under a GET (polling): re-sent; other methods never are.
                    if spec.method != "GET" or attempt == 2:
                        raise
        except httpx.TransportError as e:
            raise APIConnectionError(f"Could not reach voxflow at {self.base_url}: {e}") from e
        finally:
            spec.close()
        core.raise_for_error(resp)
        return resp

    async def _call(self, spec: Spec) -> Any:
        return core.read_body(await self._send(spec), spec.expect)

    async def _job_call(self, spec: Spec, *, wait: bool, on_progress: Optional[ProgressCallback], timeout: Optional[float],
                  idempotency_key: Optional[str], result_expect: str, result_format: Optional[str] = None) -> Any:
        core.job_headers(spec, respond_async=not wait or on_progress is not None, idempotency_key=idempotency_key)
        resp = await self._send(spec)
        if resp.status_code != 202:
            return core.read_body(resp, spec.expect)
        job = Job.from_json(resp.json())
        if not wait:
            return job
        # Asked for progress, or the server's synchronous ceiling passed: poll, then fetch the result.
        await self.jobs.wait(job.id, on_progress=on_progress, timeout=timeout)
        return await self._call(core.result_spec(job.id, result_expect, result_format))

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- media ------------------------------------------------------------------------------------
    async def transcribe(self, file: FileInput, *, model: Optional[str] = None, language: Optional[str] = None,
                   diarize: Optional[bool] = None, speakers: Optional[int] = None, response_format: str = "json",
                   wait: bool = True, on_progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None,
                   idempotency_key: Optional[str] = None) -> Any:
        """Transcript JSON (``response_format="json"``) or the txt/srt/vtt text; a :class:`Job` with ``wait=False``.
        ``file`` is a path, bytes or a binary file object; paths and files are streamed, never read whole."""
        spec = core.upload_spec("/v1/transcribe", file, {"model": model, "language": language, "diarize": diarize,
                                                         "speakers": speakers, "response_format": response_format},
                                expect=core.transcript_expect(response_format))
        return await self._job_call(spec, wait=wait, on_progress=on_progress, timeout=timeout, idempotency_key=idempotency_key,
                              result_expect=spec.expect, result_format=response_format)

    async def enhance_audio(self, file: FileInput, *, output: Optional[str] = None, wait: bool = True,
                      on_progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None) -> Any:
        """Denoised, loudness-normalised WAV: bytes, or written to ``output`` (streamed) and its path returned."""
        spec = core.upload_spec("/v1/enhance-audio", file, {}, expect="bytes")
        if output is None:
            return await self._job_call(spec, wait=wait, on_progress=on_progress, timeout=timeout, idempotency_key=None, result_expect="bytes")
        core.job_headers(spec, respond_async=True, idempotency_key=None)
        job = Job.from_json((await self._send(spec)).json())
        if not wait:
            return job
        await self.jobs.wait(job.id, on_progress=on_progress, timeout=timeout)
        return await self.jobs.download(job.id, output)

    async def tts(self, text: str, *, reference: Optional[FileInput] = None, voice: Optional[str] = None,
            sample_rate: Optional[int] = None, output: Optional[str] = None, wait: bool = True,
            on_progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None) -> Any:
        """Speech for ``text`` as WAV bytes (or written to ``output``, its path returned). ``reference``
        (3-10 s of the voice to clone) goes as multipart, as the contract has it; without one, JSON."""
        fields = {"text": text, "voice": voice, "sample_rate": sample_rate}
        if reference is not None:
            spec = core.upload_spec("/v1/tts", reference, fields, field_name="reference", expect="bytes")
        else:
            spec = core.text_spec("/v1/tts", fields)
            spec.expect = "bytes"
        data = await self._job_call(spec, wait=wait, on_progress=on_progress, timeout=timeout, idempotency_key=None, result_expect="bytes")
        if output is None or isinstance(data, Job):
            return data
        with open(output, "wb") as f:
            f.write(data)
        return output

    # -- text -------------------------------------------------------------------------------------
    async def _text_job(self, path: str, body: Dict[str, Any], wait: bool, on_progress: Optional[ProgressCallback],
                  timeout: Optional[float], idempotency_key: Optional[str]) -> Any:
        return await self._job_call(core.text_spec(path, body), wait=wait, on_progress=on_progress, timeout=timeout,
                              idempotency_key=idempotency_key, result_expect="json")

    async def summarize(self, text: str, *, style: Optional[str] = None, wait: bool = True, on_progress: Optional[ProgressCallback] = None,
                  timeout: Optional[float] = None, idempotency_key: Optional[str] = None) -> Summary:
        """``style``: brief (default), detailed, action_items, bullet_points."""
        return cast(Summary, await self._text_job("/v1/summarize", {"text": text, "style": style}, wait, on_progress, timeout, idempotency_key))

    async def analyze(self, text: str, *, type: str, wait: bool = True, on_progress: Optional[ProgressCallback] = None,
                timeout: Optional[float] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        """``type``: sentiment, topics, entities, action_items, questions, pii_redact."""
        return await self._text_job("/v1/analyze", {"text": text, "type": type}, wait, on_progress, timeout, idempotency_key)

    async def generate(self, text: str, *, type: str, wait: bool = True, on_progress: Optional[ProgressCallback] = None,
                 timeout: Optional[float] = None, idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        """``type``: blog_post, social_media, newsletter, key_quotes, show_notes, meeting_notes, study_guide, ..."""
        return await self._text_job("/v1/generate", {"text": text, "type": type}, wait, on_progress, timeout, idempotency_key)

    async def translate(self, text: Union[str, Sequence[str]], *, target: str, source: Optional[str] = None, wait: bool = True,
                  on_progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None,
                  idempotency_key: Optional[str] = None) -> Dict[str, Any]:
        """One text → ``{"translated_text", ...}``; a list → ``{"translations": [...]}``."""
        return await self._text_job("/v1/translate", core.translate_body(text, target, source), wait, on_progress, timeout, idempotency_key)

    async def embed(self, texts: Sequence[str]) -> Embeddings:
        return cast(Embeddings, await self._call(core.text_spec("/v1/embed", {"texts": list(texts)})))

    # -- catalogue and health (no key needed) -----------------------------------------------------
    async def models(self) -> ModelList:
        return cast(ModelList, await self._call(Spec("GET", "/v1/models")))

    async def languages(self, task: Optional[str] = None) -> LanguageList:
        return cast(LanguageList, await self._call(Spec("GET", "/v1/languages", params={"task": task})))

    async def health(self) -> Health:
        """The health body; a degraded server (503) raises ServiceUnavailableError with the body attached."""
        return cast(Health, await self._call(Spec("GET", "/health")))

    # -- account ----------------------------------------------------------------------------------
    async def account(self) -> Account:
        return cast(Account, await self._call(Spec("GET", "/api/v1/account/")))

    async def update_account(self, *, email: Optional[str] = None, preferences: Optional[Dict[str, Any]] = None) -> Account:
        body = {k: v for k, v in {"email": email, "preferences": preferences}.items() if v is not None}
        return cast(Account, await self._call(Spec("PUT", "/api/v1/account/", json=body)))

    async def usage(self) -> Dict[str, Any]:
        return cast(Dict[str, Any], await self._call(Spec("GET", "/api/v1/usage/")))

    # -- real-time streaming ----------------------------------------------------------------------
    async def stream(self, *, language: str = "auto", model: Optional[str] = None, open_timeout: float = 30.0,
               on_partial: Optional[Callable[[str], None]] = None, on_text: Optional[Callable[[str], None]] = None) -> AsyncStreamSession:
        """A WebSocket session on ``/v1/stream`` (use as a context manager), ready for PCM when returned."""
        return await AsyncStreamSession.connect(self.base_url, self.api_key, language=language, model=model, open_timeout=open_timeout,
                                     on_partial=on_partial, on_text=on_text)


class Jobs:
    """Submit-and-poll: ``GET /v1/jobs/:id``, its result, cancel, delete."""

    def __init__(self, client: AsyncClient) -> None:
        self._c = client

    async def get(self, job_id: str) -> Job:
        return Job.from_json(await self._c._call(Spec("GET", f"/v1/jobs/{job_id}")))

    async def wait(self, job_id: str, *, on_progress: Optional[ProgressCallback] = None, timeout: Optional[float] = None,
             poll_interval: Optional[float] = None) -> Job:
        """Polls until the job ends. Succeeded: its view. Failed or cancelled: raises JobFailedError (and
        the class of the status a synchronous call would have had, e.g. PaymentRequiredError)."""
        interval = poll_interval or self._c.poll_interval
        deadline = None if timeout is None else time.monotonic() + timeout
        last: Optional[tuple] = None
        while True:
            job = await self.get(job_id)
            seen = (job.status, job.progress, tuple((s.name, s.status, s.progress) for s in job.steps))
            if on_progress and seen != last:
                on_progress(job)
            last = seen
            if job.status == "succeeded":
                return job
            if job.done:
                raise core.job_failure(job)
            if deadline is not None and time.monotonic() >= deadline:
                raise JobTimeoutError(f"Job {job_id} is still {job.status} after {timeout} s.", job)
            await asyncio.sleep(interval)

    async def result(self, job_id: str, *, format: Optional[str] = None) -> Any:
        """A finished job's result: transcript JSON (or txt/srt/vtt text with ``format``), a text job's
        JSON document, or an audio job's WAV bytes."""
        resp = await self._c._send(core.result_spec(job_id, "none", format))
        return core.read_any(resp)

    async def download(self, job_id: str, output: str) -> str:
        """Streams a finished job's result to ``output`` (never whole in memory); returns the path."""
        try:
            async with self._c._http.stream("GET", f"/v1/jobs/{job_id}/result") as resp:
                if resp.status_code >= 400:
                    await resp.aread()
                    core.raise_for_error(resp)
                with open(output, "wb") as f:
                    async for chunk in resp.aiter_bytes():
                        f.write(chunk)
        except httpx.TransportError as e:
            raise APIConnectionError(f"Could not reach voxflow at {self._c.base_url}: {e}") from e
        return output

    async def cancel(self, job_id: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], await self._c._call(Spec("POST", f"/v1/jobs/{job_id}/cancel")))

    async def delete(self, job_id: str) -> None:
        await self._c._call(Spec("DELETE", f"/v1/jobs/{job_id}", expect="none"))


class Transcripts:
    """``/api/v1/transcripts/``: the account's transcription jobs and their transcripts."""

    def __init__(self, client: AsyncClient) -> None:
        self._c = client

    async def list(self, *, status: Optional[str] = None, language: Optional[str] = None, since: Optional[str] = None,
             page_size: Optional[int] = None, page_token: Optional[str] = None) -> TranscriptList:
        params = {"status": status, "language": language, "since": since, "page_size": page_size, "page_token": page_token}
        return cast(TranscriptList, await self._c._call(Spec("GET", "/api/v1/transcripts/", params=params)))

    async def get(self, transcript_id: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], await self._c._call(Spec("GET", f"/api/v1/transcripts/{transcript_id}/")))

    async def export(self, transcript_id: str, format: str) -> Union[str, bytes]:
        """txt, srt, vtt, json, csv as text; docx, pdf as bytes."""
        expect = "bytes" if format in ("docx", "pdf") else "text"
        return cast(Union[str, bytes], await self._c._call(Spec("GET", f"/api/v1/transcripts/{transcript_id}/export/{format}/", expect=expect)))

    async def delete(self, transcript_id: str) -> None:
        await self._c._call(Spec("DELETE", f"/api/v1/transcripts/{transcript_id}/", expect="none"))

    async def chat(self, transcript_id: str, question: str, *, session_id: Optional[str] = None) -> ChatAnswer:
        body = {"question": question, "session_id": session_id}
        return cast(ChatAnswer, await self._c._call(core.text_spec(f"/api/v1/transcripts/{transcript_id}/chat/", body)))

    async def analyze(self, transcript_id: str, *, type: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], await self._c._call(core.text_spec(f"/api/v1/transcripts/{transcript_id}/analyze/", {"type": type})))

    async def generate(self, transcript_id: str, *, type: str) -> Dict[str, Any]:
        return cast(Dict[str, Any], await self._c._call(core.text_spec(f"/api/v1/transcripts/{transcript_id}/generate/", {"type": type})))


class Keys:
    """``/api/v1/keys/``: list, create (the raw key is returned once), revoke."""

    def __init__(self, client: AsyncClient) -> None:
        self._c = client

    async def list(self) -> List[ApiKey]:
        return cast(List[ApiKey], (await self._c._call(Spec("GET", "/api/v1/keys/")))["keys"])

    async def create(self, name: Optional[str] = None) -> ApiKey:
        return cast(ApiKey, await self._c._call(Spec("POST", "/api/v1/keys/", json={"name": name} if name else {})))

    async def revoke(self, key_id: str) -> None:
        await self._c._call(Spec("DELETE", f"/api/v1/keys/{key_id}/", expect="none"))
