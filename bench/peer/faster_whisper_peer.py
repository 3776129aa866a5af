#!/usr/bin/env python3
"""Benchmark peer: faster-whisper (CTranslate2) transcribing a list of files, one JSON line per event.

Run with the venv from scripts/models/install-faster-whisper.sh, offline (HF_HUB_OFFLINE=1):

  faster_whisper_peer.py --model-dir DIR [--threads 2] [--language auto|en|..] [--beam-size 1]
                         [--compute-type float32] [--warmup FILE] FILE...

stdout, one JSON object per line:
  {"event": "load", "seconds": ..., "peak_rss_kb": ...}
  {"event": "warmup", "file": ..., "seconds": ...}                       (with --warmup)
  {"event": "file", "file": ..., "text": ..., "language": ..., "language_probability": ...,
   "duration": ..., "seconds": ..., "segments": ..., "words": ..., "peak_rss_kb": ...}
  {"event": "done", "peak_rss_kb": ...}

"seconds" is the wall time of transcribe() including consuming the segments generator (decoding,
VAD, language detection and inference are all lazy or inside it). peak_rss_kb is the process's
VmHWM so far (kilobytes), i.e. the peak up to the end of that file.
"""
import argparse
import json
import os
import sys
import time

from peak_rss import peak_rss_kb  # bench/peer/peak_rss.py (a script's folder is on sys.path)

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--language", default="auto")
    ap.add_argument("--beam-size", type=int, default=1)
    ap.add_argument("--compute-type", default="float32")
    ap.add_argument("--warmup", default=None)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    t0 = time.perf_counter()
    from faster_whisper import WhisperModel  # noqa: E402  (import cost counts as load)
    import faster_whisper
    import ctranslate2

    model = WhisperModel(
        a.model_dir,
        device="cpu",
        compute_type=a.compute_type,
        cpu_threads=a.threads,
        num_workers=1,
        local_files_only=True,
    )
    emit({
        "event": "load",
        "seconds": time.perf_counter() - t0,
        "peak_rss_kb": peak_rss_kb(),
        "versions": {
            "faster_whisper": faster_whisper.__version__,
            "ctranslate2": ctranslate2.__version__,
            "python": sys.version.split()[0],
            "compute_type": a.compute_type,
            "beam_size": str(a.beam_size),
        },
    })
    language = None if a.language == "auto" else a.language

    def run(path):
        start = time.perf_counter()
        # Everything else at faster-whisper's defaults (best_of 5, patience 1, length_penalty 1, temperature
        # fallback, condition_on_previous_text): its best settings are its defaults plus beam 5 and VAD.
        segments, info = model.transcribe(
            path,
            language=language,
            beam_size=a.beam_size,
            vad_filter=True,
            word_timestamps=True,
        )
        segs = list(segments)  # the generator does the work
        seconds = time.perf_counter() - start
        return segs, info, seconds

    if a.warmup:
        _, _, s = run(a.warmup)
        emit({"event": "warmup", "file": a.warmup, "seconds": s})

    for path in a.files:
        segs, info, seconds = run(path)
        emit({
            "event": "file",
            "file": path,
            "text": " ".join(s.text.strip() for s in segs if s.text.strip()),
            "language": info.language,
            "language_probability": info.language_probability,
            "duration": info.duration,
            "seconds": seconds,
            "segments": len(segs),
            "words": sum(len(s.words or []) for s in segs),
            "peak_rss_kb": peak_rss_kb(),
        })
    emit({"event": "done", "peak_rss_kb": peak_rss_kb()})


if __name__ == "__main__":
    main()
