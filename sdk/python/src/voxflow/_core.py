"""What the sync and async clients share: how each endpoint's request is built, how answers are
read, and how errors become exceptions. The clients only differ in how they send (httpx.Client or
httpx.AsyncClient) and how they wait between polls."""
from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import httpx

from .errors import FAILURE_STATUS, JobFailedError, error_class, error_from_response
from .types import Job

DEFAULT_BASE_URL = "http://localhost:8080"
#: Synchronous calls wait for the job (the server's ceiling is an hour by default): reads may be long.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, read=3700.0)
USER_AGENT = "voxflow-python/0.1.0"

FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes]]
ProgressCallback = Callable[[Job], None]


def resolve_settings(api_key: Optional[str], base_url: Optional[str]) -> Tuple[Optional[str], str]:
    """Explicit arguments win, then VOXFLOW_API_KEY / VOXFLOW_BASE_URL; no key means anonymous."""
    key = api_key if api_key is not None else os.environ.get("VOXFLOW_API_KEY") or None
    url = (base_url or os.environ.get("VOXFLOW_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    return key, url


def default_headers(api_key: Optional[str]) -> Dict[str, str]:
    h = {"User-Agent": USER_AGENT}
    if api_key:
        h["Authorization"] = f"Bearer {api_key}"
    return h


@dataclass
class Spec:
    """One HTTP request and how to read its answer: json, text, bytes or none."""

    method: str
    path: str
    expect: str = "json"
    params: Optional[Dict[str, Any]] = None
    json: Any = None
    data: Optional[Dict[str, str]] = None
    files: Optional[Dict[str, Tuple[str, IO[bytes], str]]] = None
    headers: Dict[str, str] = field(default_factory=dict)
    #: Files this request opened itself (paths): closed once it is sent.
    owned: List[IO[bytes]] = field(default_factory=list)

    def kwargs(self) -> Dict[str, Any]:
        kw: Dict[str, Any] = {"headers": self.headers}
        if self.params:
            kw["params"] = {k: v for k, v in self.params.items() if v is not None}
        if self.json is not None:
            kw["json"] = self.json
        if self.data is not None:
            kw["data"] = self.data
        if self.files is not None:
            kw["files"] = self.files
        return kw

    def close(self) -> None:
        for f in self.owned:
            f.close()


def open_file(file: FileInput, default_name: str = "audio") -> Tuple[str, IO[bytes], bool]:
    """(filename, binary file object, opened here). Paths are opened, never read whole: httpx streams
    file objects into the multipart body in 64 KiB chunks, so a 2 GB upload costs no 2 GB of memory."""
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        return os.path.basename(path), open(path, "rb"), True
    if isinstance(file, (bytes, bytearray, memoryview)):
        return default_name, io.BytesIO(bytes(file)), True
    name = getattr(file, "name", None)
    return (os.path.basename(name) if isinstance(name, str) else default_name), file, False


def form_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def upload_spec(path: str, file: FileInput, fields: Dict[str, Any], field_name: str = "file", expect: str = "json") -> Spec:
    name, fobj, owned = open_file(file)
    spec = Spec("POST", path, expect=expect, data={k: form_value(v) for k, v in fields.items() if v is not None},
                files={field_name: (name, fobj, "application/octet-stream")})
    if owned:
        spec.owned.append(fobj)
    return spec


def job_headers(spec: Spec, respond_async: bool, idempotency_key: Optional[str]) -> Spec:
    if respond_async:
        spec.headers["Prefer"] = "respond-async"
    if idempotency_key:
        spec.headers["Idempotency-Key"] = idempotency_key
    return spec


def raise_for_error(resp: httpx.Response) -> None:
    if resp.status_code < 400:
        return
    try:
        body = resp.json()
    except ValueError:
        body = None
    raise error_from_response(resp.status_code, body, resp.headers, resp.text if body is None else "")


def read_body(resp: httpx.Response, expect: str) -> Any:
    if expect == "json":
        return resp.json()
    if expect == "text":
        return resp.text
    if expect == "bytes":
        return resp.content
    return None


def read_any(resp: httpx.Response) -> Any:
    """A job result by its content type: JSON parsed, subtitles and text as str, audio and documents as bytes."""
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype.endswith("json"):
        return resp.json()
    if ctype.startswith("text/") or ctype in ("application/x-subrip",):
        return resp.text
    return resp.content


@functools.lru_cache(maxsize=None)
def _job_failed_class(base: type) -> type:
    """JobFailedError and the status's class at once, so `except PaymentRequiredError` catches a polled job out of credits."""
    return base if base is JobFailedError else type(f"JobFailed{base.__name__}", (JobFailedError, base), {})


def job_failure(job: Job) -> JobFailedError:
    """The exception a synchronous call would have raised for this failed or cancelled job."""
    err = job.error or {}
    message = err.get("message") or f"The job {job.status}."
    status = 409 if job.status == "cancelled" else FAILURE_STATUS.get(str(err.get("type")), 500)
    cls = _job_failed_class(error_class(status))
    body = {"error": message, **{k: v for k, v in err.items() if k != "message"}}
    return cls(message, status=status, body=body, job=job)


def result_spec(job_id: str, expect: str, fmt: Optional[str] = None) -> Spec:
    return Spec("GET", f"/v1/jobs/{job_id}/result", expect=expect, params={"format": fmt} if fmt else None)


def transcript_expect(response_format: Optional[str]) -> str:
    return "json" if response_format in (None, "json") else "text"


def text_spec(path: str, body: Dict[str, Any]) -> Spec:
    return Spec("POST", path, json={k: v for k, v in body.items() if v is not None})


def translate_body(text: Union[str, Sequence[str]], target: str, source: Optional[str]) -> Dict[str, Any]:
    if isinstance(text, str):
        return {"text": text, "target": target, "source": source}
    return {"texts": list(text), "target": target, "source": source}


def pcm_chunks(pcm: bytes, chunk_bytes: int = 8192) -> Iterable[bytes]:
    """Raw PCM in frames of 4096 samples (8192 bytes), as the browser example sends them."""
    for i in range(0, len(pcm), chunk_bytes):
        yield pcm[i:i + chunk_bytes]
