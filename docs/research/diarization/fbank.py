import numpy as np
def kaldi_fbank(wav, sr=16000, n_mels=80, frame_len=400, shift=160, n_fft=512, preemph=0.97, low_freq=20.0, high_freq=0.0):
    """Kaldi-compatible fbank (== torchaudio.compliance.kaldi.fbank defaults with dither=0). wav: float32 1-D (any scale)."""
    wav = np.asarray(wav, dtype=np.float32)
    if len(wav) < frame_len: return np.zeros((0, n_mels), np.float32)
    n = 1 + (len(wav) - frame_len) // shift
    idx = np.arange(frame_len)[None, :] + shift * np.arange(n)[:, None]
    fr = wav[idx].astype(np.float64)
    fr = fr - fr.mean(axis=1, keepdims=True)                     # remove DC
    fr = np.concatenate([fr[:, :1] * (1 - preemph), fr[:, 1:] - preemph * fr[:, :-1]], axis=1)  # pre-emphasis
    w = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_len) / (frame_len - 1))) ** 0.85   # povey
    fr = fr * w
    spec = np.abs(np.fft.rfft(fr, n=n_fft)) ** 2                  # (n, 257) power
    nyq = sr / 2; hf = high_freq if high_freq > 0 else nyq + high_freq
    mel = lambda f: 1127.0 * np.log(1 + f / 700.0)
    ml, mh = mel(low_freq), mel(hf); d = (mh - ml) / (n_mels + 1)
    fbin = mel(np.arange(n_fft // 2) * sr / n_fft)                # 256 bins (nyquist bin weight 0)
    left = ml + np.arange(n_mels)[:, None] * d; center = left + d; right = center + d
    up = (fbin[None, :] - left) / (center - left); down = (right - fbin[None, :]) / (right - center)
    W = np.maximum(0, np.minimum(up, down)); W = np.concatenate([W, np.zeros((n_mels, 1))], axis=1)
    e = spec @ W.T
    return np.log(np.maximum(e, np.finfo(np.float32).eps)).astype(np.float32)
def campp_feats(wav16k):
    f = kaldi_fbank(wav16k)
    return f - f.mean(axis=0, keepdims=True)                       # CMN over the segment
