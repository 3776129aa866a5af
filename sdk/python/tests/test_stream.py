"""The WebSocket helper against the live WS /v1/stream: config → ready → PCM → partials/text → stop → final."""
import asyncio
import subprocess

import pytest

from voxflow import AsyncClient, Client, StreamError, astream_pcm

from conftest import words_of


@pytest.fixture(scope="module")
def pcm(audio) -> bytes:
    """The speech file as the protocol wants it: Int16 little-endian, 16 kHz, mono."""
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", audio, "-f", "s16le", "-ac", "1", "-ar", "16000", "-"],
                          check=True, capture_output=True).stdout


def test_stream_gives_the_spoken_words(client, pcm):
    partials = []
    with client.stream(language="en", on_partial=partials.append) as session:
        for i in range(0, 16000 * 2 * 5, 8192):  # the first 5 s: "And so, my fellow Americans, ask not..."
            session.send_audio(pcm[i:i + 8192])
        result = session.finish(timeout=300)  # a loaded 2-core machine decodes far slower than real time
    assert result.messages[0].get("status") == "ready"
    assert result.messages[-1].get("is_final") is True
    assert {"fellow", "americans"} <= words_of(result.text), result.text


def test_async_stream_and_a_refused_key(base_url, api_key, pcm):
    async def main():
        async with AsyncClient(api_key=api_key, base_url=base_url) as c:
            session = await c.stream(language="en")
            async with session:
                return await astream_pcm(session, pcm[: 16000 * 2 * 2])  # 2 s: the protocol, not the words (above)

    result = asyncio.run(main())
    assert result.messages[0].get("status") == "ready" and result.messages[-1].get("is_final") is True
    with Client(api_key="vf_wrong", base_url=base_url) as wrong, pytest.raises(StreamError) as refused:
        wrong.stream(language="en")
    # The server's {"error"} message, or (if the close overtook it) its policy close code.
    assert "Invalid or revoked API key" in refused.value.message or refused.value.body.get("close_code") == 1008
