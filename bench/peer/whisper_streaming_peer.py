#!/usr/bin/env python3
"""Streaming peer of `npm run bench -- streaming`: whisper_streaming's policy (ufal/whisper_streaming,
whisper_online.py: OnlineASRProcessor + HypothesisBuffer, LocalAgreement-2, "segment" buffer trimming
at 15 s, a 200-character prompt of committed text, FasterWhisperASR's transcribe call) on
faster-whisper with the same Whisper base weights (CTranslate2), fed one recording at real time as
whisper_online.py's simulation does (wait until min_chunk seconds of new audio have arrived, process,
repeat; computation time counts, so a slow iteration takes in more audio the next time).

Run with the venv of scripts/models/install-faster-whisper.sh, offline:
  whisper_streaming_peer.py --model-dir DIR --pcm FILE.s16le [--language en] [--min-chunk 1.0]
                            [--threads 1] [--compute-type int8] [--beam-size 5]
stdout: {"event": "ready"} once the model is loaded and warm; the audio starts when a line arrives on
stdin (several peers in step); then one JSON line per commit {"event": "commit", "at": wall s since the audio started,
  "words": [[start, end, word], ...]} (LocalAgreement-2's confirmed words, the peer's "stable" output),
then {"event": "done", "iterations": n, "mean_iteration_s": s}. whisper_streaming has no separate final:
a committed word is final, so the bench reads an utterance's text time as its last word's commit.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np  # noqa: E402

SR = 16000


class HypothesisBuffer:
    """whisper_online.py's HypothesisBuffer, unchanged in behaviour."""

    def __init__(self):
        self.commited_in_buffer = []
        self.buffer = []
        self.new = []
        self.last_commited_time = 0
        self.last_commited_word = None

    def insert(self, new, offset):
        new = [(a + offset, b + offset, t) for a, b, t in new]
        self.new = [(a, b, t) for a, b, t in new if a > self.last_commited_time - 0.1]
        if len(self.new) >= 1:
            a, b, t = self.new[0]
            if abs(a - self.last_commited_time) < 1:
                if self.commited_in_buffer:
                    cn, nn = len(self.commited_in_buffer), len(self.new)
                    for i in range(1, min(min(cn, nn), 5) + 1):
                        c = " ".join([self.commited_in_buffer[-j][2] for j in range(1, i + 1)][::-1])
                        tail = " ".join(self.new[j - 1][2] for j in range(1, i + 1))
                        if c == tail:
                            for _ in range(i):
                                self.new.pop(0)
                            break

    def flush(self):
        commit = []
        while self.new:
            na, nb, nt = self.new[0]
            if len(self.buffer) == 0:
                break
            if nt == self.buffer[0][2]:
                commit.append((na, nb, nt))
                self.last_commited_word = nt
                self.last_commited_time = nb
                self.buffer.pop(0)
                self.new.pop(0)
            else:
                break
        self.buffer = self.new
        self.new = []
        self.commited_in_buffer.extend(commit)
        return commit

    def pop_commited(self, time_s):
        while self.commited_in_buffer and self.commited_in_buffer[0][1] <= time_s:
            self.commited_in_buffer.pop(0)

    def complete(self):
        return self.buffer


class OnlineASRProcessor:
    """whisper_online.py's OnlineASRProcessor with buffer_trimming=("segment", 15)."""

    def __init__(self, asr, trimming_s=15.0):
        self.asr = asr
        self.trimming_s = trimming_s
        self.audio_buffer = np.array([], dtype=np.float32)
        self.transcript_buffer = HypothesisBuffer()
        self.buffer_time_offset = 0.0
        self.commited = []

    def insert_audio_chunk(self, audio):
        self.audio_buffer = np.append(self.audio_buffer, audio)

    def prompt(self):
        k = max(0, len(self.commited) - 1)
        while k > 0 and self.commited[k - 1][1] > self.buffer_time_offset:
            k -= 1
        p = [t for _, _, t in self.commited[:k]]
        prompt, length = [], 0
        while p and length < 200:
            x = p.pop(-1)
            length += len(x) + 1
            prompt.append(x)
        return "".join(prompt[::-1])

    def process_iter(self):
        res = self.asr.transcribe(self.audio_buffer, init_prompt=self.prompt())
        self.transcript_buffer.insert(self.asr.ts_words(res), self.buffer_time_offset)
        o = self.transcript_buffer.flush()
        self.commited.extend(o)
        if len(self.audio_buffer) / SR > self.trimming_s:
            self.chunk_completed_segment(res)
        return o

    def chunk_completed_segment(self, res):
        if not self.commited:
            return
        ends = [s.end for s in res]
        t = self.commited[-1][1]
        if len(ends) > 1:
            e = ends[-2] + self.buffer_time_offset
            while len(ends) > 2 and e > t:
                ends.pop(-1)
                e = ends[-2] + self.buffer_time_offset
            if e <= t:
                self.transcript_buffer.pop_commited(e)
                self.audio_buffer = self.audio_buffer[int((e - self.buffer_time_offset) * SR):]
                self.buffer_time_offset = e

    def finish(self):
        return self.transcript_buffer.complete()


class FasterWhisperASR:
    """whisper_online.py's FasterWhisperASR: beam 5, word timestamps, conditioned on previous text."""

    def __init__(self, model_dir, language, threads, compute_type, beam_size):
        from faster_whisper import WhisperModel
        self.model = WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=threads, local_files_only=True)
        self.language = None if language == "auto" else language
        self.beam_size = beam_size

    def transcribe(self, audio, init_prompt=""):
        segments, _ = self.model.transcribe(audio, language=self.language, initial_prompt=init_prompt, beam_size=self.beam_size,
                                            word_timestamps=True, condition_on_previous_text=True)
        return list(segments)

    @staticmethod
    def ts_words(segments):
        return [(w.start, w.end, w.word) for s in segments if s.no_speech_prob <= 0.9 for w in s.words]


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--pcm", required=True, help="16 kHz mono s16le")
    ap.add_argument("--language", default="en")
    ap.add_argument("--min-chunk", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--beam-size", type=int, default=5)
    a = ap.parse_args()
    audio = np.fromfile(a.pcm, dtype="<i2").astype(np.float32) / 32768.0
    asr = FasterWhisperASR(a.model_dir, a.language, a.threads, a.compute_type, a.beam_size)
    asr.transcribe(audio[: SR], "")  # warm-up, as a running server would be
    online = OnlineASRProcessor(asr)
    duration = len(audio) / SR
    emit({"event": "ready"})
    sys.stdin.readline()
    start = time.time()
    beg, end, iters, busy = 0.0, 0.0, 0, 0.0
    while True:
        now = time.time() - start
        if now < end + a.min_chunk:
            time.sleep(a.min_chunk + end - now)
        end = min(duration, time.time() - start)
        online.insert_audio_chunk(audio[int(beg * SR): int(end * SR)])
        beg = end
        t0 = time.time()
        o = online.process_iter()
        busy += time.time() - t0
        iters += 1
        if o:
            emit({"event": "commit", "at": time.time() - start, "words": [[s, e, w] for s, e, w in o]})
        if end >= duration:
            break
    o = online.finish()
    if o:
        emit({"event": "commit", "at": time.time() - start, "words": [[s, e, w] for s, e, w in o], "finish": True})
    emit({"event": "done", "iterations": iters, "mean_iteration_s": busy / max(1, iters)})


if __name__ == "__main__":
    main()
