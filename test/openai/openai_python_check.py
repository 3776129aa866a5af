"""The official `openai` Python package against a live voxflow (run by test/api/openai-python.test.ts).

Reads VOXFLOW_BASE_URL, VOXFLOW_KEY, ENGLISH_WAV, SPANISH_WAV; asserts as it goes and prints one
JSON line of what it saw (the jest side checks it too). Exit status 0 only when every check passed.
"""
import json
import os
import re
import uuid

import openai
from openai import OpenAI

base = os.environ["VOXFLOW_BASE_URL"] + "/v1"
client = OpenAI(api_key=os.environ["VOXFLOW_KEY"], base_url=base, max_retries=0, timeout=300)
english, spanish = os.environ["ENGLISH_WAV"], os.environ["SPANISH_WAV"]
seen = {}


def words(s):
    return re.sub(r"[^a-z' ]", " ", s.lower()).split()


# One job, rendered in four formats: the same Idempotency-Key returns the first request's job.
key = {"Idempotency-Key": str(uuid.uuid4())}
with open(english, "rb") as f:
    raw = client.audio.transcriptions.with_raw_response.create(file=f, model="whisper-1", extra_headers=key)
t = raw.parse()
assert "ask not what your country can do for you" in " ".join(words(t.text)), t.text
assert raw.headers["x-model"] == "base", raw.headers
assert t.model_extra.get("model") == "base" or getattr(t, "model", None) == "base", t
seen["json"] = t.text
for fmt, pattern in [("text", r"\S.*\n$"), ("srt", r"^1\n00:00:\d\d,\d{3} --> "), ("vtt", r"^WEBVTT\n\n00:00:\d\d\.\d{3} --> ")]:
    with open(english, "rb") as f:
        out = client.audio.transcriptions.create(file=f, model="whisper-1", response_format=fmt, extra_headers=key)
    assert isinstance(out, str), (fmt, type(out))
    assert re.search(pattern, out, re.S), (fmt, out[:200])
    seen[fmt] = out

with open(english, "rb") as f:
    v = client.audio.transcriptions.create(file=f, model="whisper-1", response_format="verbose_json", timestamp_granularities=["word", "segment"])
assert v.language == "english" and v.duration > 10, v
assert v.segments and all(s.end > s.start for s in v.segments), v.segments
assert v.words and [w.word for w in v.words][:0] == [], v.words
assert "ask not what your country" in " ".join(re.sub(r"[^a-z]", "", w.word.lower()) for w in v.words)
assert all(b.start >= a.start for a, b in zip(v.words, v.words[1:]))
seen["verbose_words"] = len(v.words)
seen["verbose_segments"] = len(v.segments)

with open(spanish, "rb") as f:
    tr = client.audio.translations.create(file=f, model="whisper-1")
got = words(tr.text)
assert len({"only", "person", "conference", "moment"} & set(got)) >= 2, tr.text
assert "persona" not in got and "conferencia" not in got, tr.text
seen["translation"] = tr.text

ids = [m.id for m in client.models.list()]
assert ids[0] == "whisper-1" and "base" in ids, ids
seen["models"] = ids
assert client.models.retrieve("base").owned_by == "voxflow"

bad = OpenAI(api_key="vf-not-a-key", base_url=base, max_retries=0)
try:
    with open(english, "rb") as f:
        bad.audio.transcriptions.create(file=f, model="whisper-1")
    raise AssertionError("a bad key was accepted")
except openai.AuthenticationError as e:
    assert e.status_code == 401 and "Invalid or revoked API key" in e.message, e
    seen["auth_error"] = e.message

try:
    with open(english, "rb") as f:
        client.audio.transcriptions.create(file=f, model="large-v9")
    raise AssertionError("an unknown model was accepted")
except openai.BadRequestError as e:
    assert e.param == "model" and e.code == "model_not_found", e
    seen["bad_model"] = e.message

print(json.dumps(seen))
