"""voxflow: Python SDK for the self-hostable speech AI service.

    from voxflow import Client
    client = Client(api_key="...", base_url="http://localhost:8080")
    transcript = client.transcribe("meeting.mp3")
"""
from .async_client import AsyncClient
from .client import Client
from .errors import (APIConnectionError, APIError, AuthenticationError, BadRequestError, ConflictError,
                     JobFailedError, JobTimeoutError, NotFoundError, PayloadTooLargeError, PaymentRequiredError,
                     RateLimitError, ServiceUnavailableError, VoxflowError)
from .stream import AsyncStreamSession, StreamError, StreamResult, StreamSession, astream_pcm, stream_pcm
from .types import Job, JobStep

__version__ = "0.1.0"
__all__ = [
    "Client", "AsyncClient", "Job", "JobStep", "StreamSession", "AsyncStreamSession", "StreamResult", "stream_pcm",
    "astream_pcm", "VoxflowError", "APIError", "APIConnectionError", "BadRequestError", "AuthenticationError",
    "PaymentRequiredError", "NotFoundError", "ConflictError", "PayloadTooLargeError", "RateLimitError",
    "ServiceUnavailableError", "JobFailedError", "JobTimeoutError", "StreamError",
]
