"""
Derives encoder_int8.onnx from an installed Whisper model's encoder.onnx: the same graph with its
MatMul weights dynamic-quantized to int8 (onnxruntime quantize_dynamic, MatMulInteger with per-tensor
scales, activations quantized per run), the recipe the converter already uses for decoder_int8.onnx.
The two stride convolutions stay fp32 (ConvInteger has no fast CPU kernel in onnxruntime).

Why: the fp32 encoder is the largest graph the int8 configuration still loads (82 MB file, ~157 MB of
RSS once loaded without prepacking); int8 weights load in about a third of that.

Writes, in OUT_DIR: encoder_int8.onnx, then encoder_int8.json (its sha256 and bytes, the source
encoder's sha256, the quantizer's versions) last, so a partial copy is never seen as installed.
  usage: quantize_encoder.py MODEL_DIR OUT_DIR
"""
import hashlib
import json
import os
import sys
import time


def sha256_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: quantize_encoder.py MODEL_DIR OUT_DIR")
    src_dir, out_dir = sys.argv[1], sys.argv[2]
    import onnx
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    man = json.load(open(os.path.join(src_dir, "manifest.json")))
    src = os.path.join(src_dir, "encoder.onnx")
    want = man["files"]["encoder.onnx"]["sha256"]
    got = sha256_file(src)
    if got != want:
        raise SystemExit(f"{src}: sha256 {got} is not the manifest's {want}")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "encoder_int8.onnx")
    t0 = time.time()
    quantize_dynamic(src, out, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     per_channel=False, extra_options={"MatMulConstBOnly": True})
    # Same inputs and outputs as the fp32 graph: the runtime swaps one for the other.
    q = onnx.load(out, load_external_data=False)
    f = onnx.load(src, load_external_data=False)
    sig = lambda m: ([(v.name, v.type.tensor_type.elem_type) for v in m.graph.input],
                     [(v.name, v.type.tensor_type.elem_type) for v in m.graph.output])
    if sig(q) != sig(f):
        raise SystemExit(f"quantized encoder changed its inputs/outputs: {sig(q)} vs {sig(f)}")
    info = dict(
        file="encoder_int8.onnx", sha256=sha256_file(out), bytes=os.path.getsize(out),
        source=dict(file="encoder.onnx", sha256=want, model_id=man["model_id"]),
        quantizer=dict(script=os.path.basename(__file__), onnxruntime=onnxruntime.__version__, onnx=onnx.__version__,
                       weight_type="QInt8", op_types=["MatMul"], per_channel=False, matmul_const_b_only=True),
    )
    json.dump(info, open(os.path.join(out_dir, "encoder_int8.json"), "w"), indent=1)
    print(f"encoder_int8.onnx: {info['bytes'] / 1e6:.1f} MB sha256 {info['sha256']} ({time.time() - t0:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
