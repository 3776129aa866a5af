"""TTS bench peer: Piper's own runtime (piper-tts) on the same voice files. Reads a JSON request on
stdin {"model": path, "threads": n, "items": [{"text", "out"}]}, writes each WAV, prints JSON with
the load time and each item's synthesis time (excluding the load) and audio seconds. With "stream":
{"text"}, also the time to Piper's first sentence chunk (PiperVoice.synthesize yields one per
sentence) and to the last, for the same text as ours in the bench's streaming table."""
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
stream = None
if req.get("stream"):
    t = time.perf_counter()
    first_s = None
    samples = 0
    for chunk in voice.synthesize(req["stream"]["text"]):
        if first_s is None:
            first_s = time.perf_counter() - t
        samples += len(chunk.audio_int16_bytes) // 2
    stream = {"first_s": first_s, "total_s": time.perf_counter() - t, "audio_s": samples / config.sample_rate}
print(json.dumps({"load_s": load_s, "items": items, "stream": stream}))
