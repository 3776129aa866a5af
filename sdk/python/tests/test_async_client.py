"""The asyncio client: the same calls, awaited (transcription with progress → SRT text)."""
import asyncio

import pytest

from voxflow import AsyncClient, AuthenticationError


def test_async_transcribe_with_progress_returns_srt(base_url, api_key, audio):
    async def main():
        views = []
        async with AsyncClient(api_key=api_key, base_url=base_url, poll_interval=0.3) as c:
            models = await c.models()
            srt = await c.transcribe(audio, response_format="srt", diarize=False, on_progress=views.append)
            return models, srt, views

    models, srt, views = asyncio.run(main())
    assert models["models"]
    assert srt.startswith("1\n00:00:00,") and "-->" in srt
    assert views[-1].status == "succeeded" and {s.name for s in views[-1].steps} >= {"probe", "transcribe"}


def test_async_errors(base_url):
    async def main():
        async with AsyncClient(api_key="vf_wrong", base_url=base_url) as c:
            await c.usage()

    with pytest.raises(AuthenticationError):
        asyncio.run(main())
