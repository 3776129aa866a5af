#!/usr/bin/env python3
"""Copies an installed Whisper ONNX model (whisper_ct2_to_onnx.py's output) into a variant whose graphs
accept fewer than 3000 mel frames (whisper.cpp's audio_ctx trick, used by live streaming):

  encoder.onnx           mel[batch,n_mels,n_frames] -> encoder_hidden_states[batch,n_audio,d]; the
                         positional table [1500,d] is sliced to the frames present (the only op that
                         needed a fixed length: every Reshape in the graphs copies dims with 0)
  decoder_cross_kv.onnx  encoder_hidden_states[batch,n_audio,d] -> cross_k/cross_v[...,n_audio,...]
  decoder*.onnx          cross_k/cross_v and cross_attn_weights with a symbolic audio length

Weights are unchanged (same numbers, same results at 3000 frames); only the declared shapes and the
encoder's positional Add differ. manifest.json is copied with "audio_ctx": "dynamic" and written last.
  usage: dynamic_audio_ctx.py SRC_DIR OUT_DIR
"""
import hashlib, json, os, shutil, sys
import onnx
from onnx import helper as oh


def sym(vi, axis, name):
    d = vi.type.tensor_type.shape.dim[axis]
    d.ClearField("dim_value"); d.dim_param = name


def find(vs, name):
    return next(v for v in vs if v.name == name)


def encoder(m):
    g = m.graph
    add = next(n for n in g.node if n.op_type == "Add" and "encoder.pos" in n.input)
    x = add.input[0] if add.input[1] == "encoder.pos" else add.input[1]
    c = lambda name, vals: g.initializer.append(onnx.numpy_helper.from_array(__import__("numpy").array(vals, "int64"), name))
    c("dynctx.zero", [0]); c("dynctx.one", [1]); c("dynctx.two", [2])
    nodes = [
        oh.make_node("Shape", [x], ["dynctx.shape"]),
        oh.make_node("Slice", ["dynctx.shape", "dynctx.one", "dynctx.two"], ["dynctx.len"]),       # [T]
        oh.make_node("Slice", ["encoder.pos", "dynctx.zero", "dynctx.len", "dynctx.zero"], ["dynctx.pos"]),  # [T,d]
    ]
    i = list(g.node).index(add)
    for k, n in enumerate(nodes): g.node.insert(i + k, n)
    add.input[list(add.input).index("encoder.pos")] = "dynctx.pos"
    sym(find(g.input, "mel"), 2, "n_frames")
    sym(find(g.output, "encoder_hidden_states"), 1, "n_audio")


def cross_kv(m):
    sym(find(m.graph.input, "encoder_hidden_states"), 1, "n_audio")
    for n in ("cross_k", "cross_v"): sym(find(m.graph.output, n), 3, "n_audio")


def decoder(m):
    for n in ("cross_k", "cross_v"): sym(find(m.graph.input, n), 3, "n_audio")
    sym(find(m.graph.output, "cross_attn_weights"), 3, "n_audio")


def sha256(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""): h.update(b)
    return h.hexdigest()


def main():
    src, out = sys.argv[1], sys.argv[2]
    man = json.load(open(os.path.join(src, "manifest.json")))
    if man.get("cross_kv_in_encoder") or man.get("kv_layout", "stacked") != "stacked":
        raise SystemExit("only the stacked layout with a separate decoder_cross_kv.onnx is supported")
    os.makedirs(out, exist_ok=True)
    files = {}
    for name, fix in (("encoder.onnx", encoder), ("decoder_cross_kv.onnx", cross_kv), ("decoder.onnx", decoder), ("decoder_int8.onnx", decoder)):
        p = os.path.join(src, name)
        if not os.path.exists(p): continue
        m = onnx.load(p); fix(m); onnx.checker.check_model(m)
        q = os.path.join(out, name); onnx.save(m, q); files[name] = q
        print(f"  {name}: {os.path.getsize(q) / 1e6:.1f} MB", flush=True)
    shutil.copyfile(os.path.join(src, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    files["tokenizer.json"] = os.path.join(out, "tokenizer.json")
    man["audio_ctx"] = "dynamic"
    man["derived_from"] = {"dir": os.path.abspath(src), "script": os.path.basename(__file__)}
    man["files"] = {n: {"sha256": sha256(p), "bytes": os.path.getsize(p)} for n, p in sorted(files.items())}
    for n in ("io",): man.pop(n, None)
    with open(os.path.join(out, "manifest.json.tmp"), "w") as f: json.dump(man, f, indent=1)
    os.replace(os.path.join(out, "manifest.json.tmp"), os.path.join(out, "manifest.json"))


if __name__ == "__main__":
    main()
