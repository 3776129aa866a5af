import numpy as np, soundfile as sf, librosa
SR=16000
def load(files):
    ws=[sf.read(f'audio/src/{f}.wav',dtype='float32')[0] for f in files]
    # split into utterance-ish chunks by silence
    chunks=[]
    for w in ws:
        for a,b in librosa.effects.split(w,top_db=30):
            if b-a>0.3*SR: chunks.append(w[max(0,a-800):b+800])
    return chunks
SPK={'LIB':load(['lib_0870','lib_0880','lib_0890','lib_0920','lib_0930']),
     'DHD':load(['ps_goforward','ps_numbers','ps_something','tidig_dhd']),
     'ALSA':load(['alsa_all']),
     'CARDS':load(['cards_001','cards_002','cards_003','cards_004','cards_005'])}
def build(name, order, gap=0.6, min_turn=2.0):
    rng=np.random.default_rng(0); out=[]; rttm=[]; t=0.0; ptr={k:0 for k in SPK}
    for spk in order:
        turn=[]; dur=0
        while dur<min_turn and ptr[spk]<len(SPK[spk]):
            c=SPK[spk][ptr[spk]]; ptr[spk]+=1; turn.append(c); dur+=len(c)/SR
        if not turn: continue
        seg=np.concatenate(turn); seg=seg/ (np.abs(seg).max()+1e-9)*0.5
        out.append(seg); rttm.append(f'SPEAKER {name} 1 {t:.3f} {len(seg)/SR:.3f} <NA> <NA> {spk} <NA> <NA>'); t+=len(seg)/SR
        g=np.zeros(int(gap*SR),np.float32); out.append(g); t+=gap
    w=np.concatenate(out).astype(np.float32); sf.write(f'audio/{name}.wav',w,SR,subtype='PCM_16')
    open(f'audio/{name}.rttm','w').write('\n'.join(rttm)+'\n'); print(name, f'{len(w)/SR:.1f}s', len(rttm),'turns')
for k,v in SPK.items(): print(k,len(v),'chunks',f'{sum(len(c) for c in v)/SR:.1f}s')
build('test2_lib_alsa',['LIB','ALSA']*4)
build('test2_lib_dhd',['LIB','DHD']*4)
build('test3_lib_dhd_alsa',['LIB','DHD','ALSA']*3)
