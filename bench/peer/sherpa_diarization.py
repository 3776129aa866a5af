#!/usr/bin/env python3
"""Benchmark peer: sherpa-onnx offline speaker diarization (pyannote segmentation-3.0 + CAM++
embeddings + agglomerative clustering) on a list of files, one JSON line per event.

Run with the venv from scripts/models/install-diarization-peer.sh:

  sherpa_diarization.py --segmentation SEG.sherpa.onnx --embedding EMB.sherpa.onnx
                        [--threads 2] [--threshold 0.5] CASES.json

CASES.json: [{"name": ..., "wav": ..., "speakers": N}, ...]; speakers 0 = let the clustering
threshold decide, N > 0 = exactly N clusters (the threshold is then unused).

stdout, one JSON object per line:
  {"event": "load", "seconds": ..., "peak_rss_kb": ..., "versions": {...}}
  {"event": "file", "name": ..., "turns": [{"start", "end", "speaker"}], "seconds": ...,
   "duration": ..., "peak_rss_kb": ...}
  {"event": "done", "peak_rss_kb": ...}

"seconds" (file) is the wall time of reading the wav (and resampling, if it is not at the model's
rate) plus process(): segmentation, embeddings and clustering. "duration" is the audio length in
seconds. peak_rss_kb is the process's VmHWM so far (kilobytes), i.e. the peak up to the
end of that file. Speaker labels are sherpa's cluster ids as strings ("0", "1", ...).

min_duration_on=0.3 / min_duration_off=0.5 are sherpa-onnx's own defaults (the Python binding's and
its examples'); override with --min-duration-on/--min-duration-off.
"""
import argparse
import json
import sys
import time

from peak_rss import peak_rss_kb  # bench/peer/peak_rss.py (a script's folder is on sys.path)


def emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def resample(x, sr_in: int, sr_out: int):
    """Band-limited resampling by FFT (zero-padding / truncating the spectrum); only for the rare
    input that is not already at the model's rate (our benchmark files are 16 kHz)."""
    import numpy as np

    n_out = int(round(len(x) * sr_out / sr_in))
    spec = np.fft.rfft(x)
    keep = min(len(spec), n_out // 2 + 1)
    out = np.fft.irfft(spec[:keep], n_out) * (n_out / len(x))
    return out.astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--segmentation", required=True)
    ap.add_argument("--embedding", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--min-duration-on", type=float, default=0.3)
    ap.add_argument("--min-duration-off", type=float, default=0.5)
    ap.add_argument("cases")
    a = ap.parse_args()
    with open(a.cases, encoding="utf8") as f:
        cases = json.load(f)

    t0 = time.perf_counter()
    import numpy as np  # noqa: E402  (import cost counts as load)
    import sherpa_onnx
    import soundfile as sf

    def config(num_clusters: int):
        return sherpa_onnx.OfflineSpeakerDiarizationConfig(
            segmentation=sherpa_onnx.OfflineSpeakerSegmentationModelConfig(
                pyannote=sherpa_onnx.OfflineSpeakerSegmentationPyannoteModelConfig(model=a.segmentation),
                num_threads=a.threads,
            ),
            embedding=sherpa_onnx.SpeakerEmbeddingExtractorConfig(model=a.embedding, num_threads=a.threads),
            clustering=sherpa_onnx.FastClusteringConfig(num_clusters=num_clusters, threshold=a.threshold),
            min_duration_on=a.min_duration_on,
            min_duration_off=a.min_duration_off,
        )

    cfg = config(-1)
    if not cfg.validate():
        raise SystemExit(f"invalid sherpa-onnx diarization config: {cfg}")
    # NB: a model without the metadata sherpa needs is only logged (stderr) here; the process then
    # crashes (SIGSEGV) in the first process() call. scripts/models/install-diarization-peer.sh adds it.
    sd = sherpa_onnx.OfflineSpeakerDiarization(cfg)
    emit({
        "event": "load",
        "seconds": time.perf_counter() - t0,
        "peak_rss_kb": peak_rss_kb(),
        "versions": {
            "sherpa_onnx": sherpa_onnx.__version__,
            "numpy": np.__version__,
            "soundfile": sf.__version__,
            "python": sys.version.split()[0],
        },
    })

    for case in cases:
        speakers = int(case.get("speakers") or 0)
        # set_config changes only the clustering settings; the ONNX sessions stay loaded.
        sd.set_config(config(speakers if speakers > 0 else -1))
        start = time.perf_counter()
        audio, sr = sf.read(case["wav"], dtype="float32", always_2d=True)
        audio = audio.mean(axis=1) if audio.shape[1] > 1 else audio[:, 0]
        duration = len(audio) / sr
        if sr != sd.sample_rate:
            audio = resample(audio, sr, sd.sample_rate)
        result = sd.process(np.ascontiguousarray(audio, dtype=np.float32)).sort_by_start_time()
        seconds = time.perf_counter() - start
        emit({
            "event": "file",
            "name": case["name"],
            "turns": [{"start": round(r.start, 3), "end": round(r.end, 3), "speaker": str(r.speaker)} for r in result],
            "seconds": seconds,
            "duration": duration,
            "peak_rss_kb": peak_rss_kb(),
        })
    emit({"event": "done", "peak_rss_kb": peak_rss_kb()})


if __name__ == "__main__":
    main()
