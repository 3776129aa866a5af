import numpy as np, soundfile as sf, onnxruntime as ort, sys
def run(model, wav, ctx):
    s=ort.InferenceSession(model, providers=['CPUExecutionProvider'])
    x,sr=sf.read(wav,dtype='float32'); assert sr==16000
    state=np.zeros((2,1,128),np.float32); context=np.zeros(64,np.float32); probs=[]
    for i in range(0,len(x)-511,512):
        chunk=x[i:i+512]
        inp=np.concatenate([context,chunk]) if ctx else chunk
        out,state=s.run(None,{'input':inp[None,:].astype(np.float32),'state':state,'sr':np.array(16000,np.int64)})
        context=chunk[-64:]; probs.append(float(out[0,0]))
    p=np.array(probs); return p
for model in ['npm/ricky0123-vad-web-0.0.31/package/dist/silero_vad_v5.onnx','npm/ricky0123-vad-web-0.0.31/package/dist/silero_vad_v6.onnx']:
  for wav in ['/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav','/usr/share/pocketsphinx/test/data/cards/005.wav','audio/silence.wav','audio/noise.wav']:
    for ctx in (False,True):
        p=run(model,wav,ctx)
        print(f"{model.split('/')[-1]:22s} ctx={int(ctx)} {wav.split('/')[-1]:45s} n={len(p):3d} mean={p.mean():.3f} max={p.max():.3f} frac>0.5={np.mean(p>0.5):.2f}")
