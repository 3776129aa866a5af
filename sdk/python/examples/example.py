"""The upstream docs' Python example (../shared/clients/example.py) rewritten with the voxflow SDK.

The original asks for model=large-v3-turbo; this one leaves the model to the server (set
VOXFLOW_MODEL to ask for one) and prints which model ran, since a model that is not installed is an
honest 400 (raised here as voxflow.BadRequestError instead of a KeyError on the error body).
"""
import os

from voxflow import Client

client = Client(api_key=os.environ.get("VOXFLOW_KEY", "YOUR_API_KEY"), base_url=os.environ.get("VOXFLOW_URL", "http://localhost:8080"))

# Transcribe a file (streamed from disk, never read whole)
result = client.transcribe("meeting.mp3", model=os.environ.get("VOXFLOW_MODEL"), language="auto", diarize=True)
print(f"Language: {result['language']}, Duration: {result['duration']:.1f}s (model {result['model']})")

for seg in result["segments"]:
    print(f"[{seg['start']:.1f}s] {seg.get('speaker', '')}: {seg['text']}")

# Summarize the transcript
summary = client.summarize(result["text"], style="bullet_points")
print(summary["summary"])
