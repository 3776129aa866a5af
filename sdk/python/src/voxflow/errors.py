"""Exceptions for every way a voxflow call can fail.

The API answers every error as JSON ``{"error": "...", ...}`` with an HTTP status; each status the
contract documents gets its own class, and every instance carries the status, the message and the
whole JSON body (``code``, ``param``, ``valid``, ``installed``... where the server adds them).
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional


class VoxflowError(Exception):
    """Base class of everything this package raises."""


class APIConnectionError(VoxflowError):
    """The server could not be reached (refused, reset, timed out before answering)."""


class APIError(VoxflowError):
    """The server answered with an error status."""

    def __init__(self, message: str, *, status: int, body: Optional[Dict[str, Any]] = None, headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body: Dict[str, Any] = body or {"error": message}
        self.headers: Dict[str, str] = {k.lower(): v for k, v in (headers or {}).items()}
        #: Machine-readable reason where the server gives one (``model_not_installed``, ``invalid_parameter``...).
        self.code: Optional[str] = self.body.get("code") if isinstance(self.body.get("code"), str) else None

    def __str__(self) -> str:
        return f"{self.status}: {self.message}"


class BadRequestError(APIError):
    """400: a missing file, an unsupported format, an invalid parameter, a model that is not installed."""


class AuthenticationError(APIError):
    """401: the API key is missing (where one is required), invalid or revoked."""


class PaymentRequiredError(APIError):
    """402: no credits remaining."""


class NotFoundError(APIError):
    """404: unknown job, transcript, key or route (another tenant's job is 404 too)."""


class ConflictError(APIError):
    """409: e.g. deleting a running job, cancelling a finished one."""


class PayloadTooLargeError(APIError):
    """413: the file, the text or the audio is longer than this tier allows."""


class _RetryAfter(APIError):
    @property
    def retry_after(self) -> Optional[float]:
        """Seconds the server asks to wait (its ``Retry-After`` header), or None."""
        raw = self.headers.get("retry-after")
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None


class RateLimitError(_RetryAfter):
    """429: daily anonymous quota or concurrent-job limit reached; see ``retry_after``."""


class ServiceUnavailableError(_RetryAfter):
    """503: workers or the job service are temporarily unavailable; see ``retry_after``."""


class JobFailedError(APIError):
    """A job polled with ``wait`` ended failed or cancelled; ``job`` is its last view."""

    def __init__(self, message: str, *, status: int, body: Optional[Dict[str, Any]] = None, job: Any = None) -> None:
        super().__init__(message, status=status, body=body)
        self.job = job


class JobTimeoutError(VoxflowError):
    """``wait`` gave up before the job finished (the job keeps running on the server)."""

    def __init__(self, message: str, job: Any = None) -> None:
        super().__init__(message)
        self.job = job


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

# How the server maps a failed job's type to a status (api/errors.ts FAILURE_STATUS): a job that fails
# while polled raises the same class a synchronous call would have.
FAILURE_STATUS = {
    "InvalidMedia": 400,
    "InvalidInput": 400,
    "ModelNotInstalled": 400,
    "InsufficientCredits": 402,
    "AudioTooLong": 413,
    "Internal": 500,
}


def error_class(status: int) -> type:
    return _BY_STATUS.get(status, APIError)


def error_from_response(status: int, body: Any, headers: Mapping[str, str], fallback_text: str = "") -> APIError:
    """The exception for an error answer; a non-JSON body (a proxy's HTML page) still gives a message."""
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        message = body["error"]
    else:
        message = (fallback_text or "").strip()[:200] or f"HTTP {status}"
        body = {"error": message}
    return error_class(status)(message, status=status, body=body, headers=headers)
