"""Typed results: the JSON bodies of the API as TypedDicts (plain dicts at run time, typed for
editors and mypy), and the job view as dataclasses (it is what progress callbacks receive)."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover
    from typing_extensions import NotRequired, TypedDict  # type: ignore[assignment]


class Word(TypedDict):
    word: str
    start: float
    end: float
    probability: NotRequired[float]
    speaker: NotRequired[str]


class Segment(TypedDict):
    start: float
    end: float
    text: str
    confidence: float
    words: List[Word]
    speaker: NotRequired[str]


class Transcript(TypedDict):
    text: str
    language: str
    duration: float
    segments: List[Segment]
    speakers: List[str]
    model: str
    language_probability: NotRequired[float]


class Summary(TypedDict):
    summary: str
    style: str
    model: str


class Translation(TypedDict):
    translated_text: str
    source_language: NotRequired[str]
    target_language: NotRequired[str]
    model: NotRequired[str]


class BatchTranslation(TypedDict):
    translations: List[Translation]


class Embeddings(TypedDict):
    embeddings: List[List[float]]
    dimensions: int


class ChatSource(TypedDict):
    segment_order: int
    text: str
    score: float


class ChatAnswer(TypedDict):
    answer: str
    sources: List[ChatSource]
    session_id: NotRequired[str]


class Model(TypedDict):
    id: str
    name: str
    type: NotRequired[str]
    installed: NotRequired[bool]
    languages: NotRequired[int]
    speed: NotRequired[str]


class ModelList(TypedDict):
    models: List[Model]


class Language(TypedDict):
    code: str
    name: str


class LanguageList(TypedDict):
    languages: List[Language]


class Health(TypedDict):
    status: str
    gpu_available: bool
    gpu_name: Optional[str]
    gpu_memory_mb: Optional[int]


class Account(TypedDict):
    id: str
    plan: str
    credits: float
    email: Optional[str]
    preferences: Dict[str, Any]
    created_at: str


class ApiKey(TypedDict):
    id: str
    name: str
    key: NotRequired[str]


class TranscriptListItem(TypedDict):
    id: str
    status: str
    created_at: Optional[str]
    filename: NotRequired[str]
    language: NotRequired[str]


class TranscriptList(TypedDict):
    jobs: List[TranscriptListItem]
    next_page_token: Optional[str]


@dataclass
class JobStep:
    """One step of a job (probe, transcribe, diarize, summarize...) with its own progress and credits."""

    name: str
    status: str
    progress: float
    credits: Optional[Dict[str, float]] = None
    error: Optional[Dict[str, Any]] = None
    attempt: Optional[int] = None

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "JobStep":
        return cls(name=d.get("name", ""), status=d.get("status", ""), progress=float(d.get("progress") or 0),
                   credits=d.get("credits"), error=d.get("error"), attempt=d.get("attempt"))


@dataclass
class Job:
    """``GET /v1/jobs/:id`` (or a 202's body): status, overall progress 0..1, per-step progress."""

    id: str
    status: str
    recipe: Optional[str] = None
    progress: float = 0.0
    steps: List[JobStep] = field(default_factory=list)
    error: Optional[Dict[str, Any]] = None
    created_at: Optional[str] = None
    completed_at: Optional[str] = None
    #: The whole JSON view as the server sent it.
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    TERMINAL = ("succeeded", "failed", "cancelled")

    @property
    def done(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def current_step(self) -> Optional[JobStep]:
        """The step running now (else the last one that is not pending)."""
        for s in self.steps:
            if s.status == "running":
                return s
        started = [s for s in self.steps if s.status != "pending"]
        return started[-1] if started else None

    @property
    def credits_charged(self) -> float:
        return sum(float((s.credits or {}).get("charged") or 0) for s in self.steps)

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "Job":
        return cls(
            id=d["id"], status=d.get("status", "queued"), recipe=d.get("recipe"), progress=float(d.get("progress") or 0),
            steps=[JobStep.from_json(s) for s in d.get("steps") or []], error=d.get("error"),
            created_at=d.get("created_at"), completed_at=d.get("completed_at"), raw=d,
        )
