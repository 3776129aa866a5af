"""TTS bench peer: Piper's own runtime (piper-tts) on the same voice files. Reads a JSON request on
stdin {"model": path, "threads": n, "items": [{"text", "out"}]}, writes each WAV, prints JSON with
the load time and each item's synthesis time (excluding the load) and audio seconds."""
import json, sys, time, wave

import onnxruntime
from piper import PiperVoice
from piper.config import PiperConfig

req = json.load(sys.stdin)
t0 = time.perf_counter()
opts = onnxruntime.SessionOptions()
opts.intra_op_num_threads = int(req["threads"])
opts.inter_op_num_threads = 1
with open(req["model"] + ".json", encoding="utf-8") as f:
    config = PiperConfig.from_dict(json.load(f))
voice = PiperVoice(config=config, session=onnxruntime.InferenceSession(req["model"], sess_options=opts, providers=["CPUExecutionProvider"]))
load_s = time.perf_counter() - t0
items = []
for item in req["items"]:
    t = time.perf_counter()
    with wave.open(item["out"], "wb") as w:
        voice.synthesize_wav(item["text"], w)
    dt = time.perf_counter() - t
    with wave.open(item["out"], "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    items.append({"out": item["out"], "synth_s": dt, "audio_s": seconds})
print(json.dumps({"load_s": load_s, "items": items}))
