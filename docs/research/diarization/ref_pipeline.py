import numpy as np, soundfile as sf, onnxruntime as ort, sys
sys.path.insert(0,'/tmp/diar-research'); from fbank import campp_feats
from scipy.cluster.hierarchy import linkage, fcluster
exec(open('sherpa_diar.py').read().split('def run(')[0])  # der()
so=ort.SessionOptions(); so.intra_op_num_threads=2
VAD=ort.InferenceSession('npm/ricky0123-vad-web-0.0.31/package/dist/silero_vad_v5.onnx',so)
EMB=ort.InferenceSession('export/campplus_cn_en_common.onnx',so)
def vad(w,thr=0.5,neg=0.35,min_sil=0.3,min_speech=0.25,pad=0.03):
    st=np.zeros((2,1,128),np.float32); ctx=np.zeros(64,np.float32); P=[]
    for i in range(0,len(w)-511,512):
        ch=w[i:i+512]; o,st=VAD.run(None,{'input':np.concatenate([ctx,ch])[None],'state':st,'sr':np.array(16000,np.int64)}); ctx=ch[-64:]; P.append(o[0,0])
    segs=[];on=None;off=None
    for k,p in enumerate(P):
        t=k*512/16000
        if on is None and p>=thr: on=t; off=None
        elif on is not None:
            if p<neg:
                off = t if off is None else off
                if t-off>=min_sil: segs.append((on,off)); on=None; off=None
            else: off=None
    if on is not None: segs.append((on,len(w)/16000))
    return [(max(0,a-pad),b+pad) for a,b in segs if b-a>=min_speech]
def diarize(w,thr=0.5,win=1.5,hop=0.75,n=None):
    segs=vad(w); sub=[]
    for a,b in segs:
        s=a
        while s+win<b: sub.append((s,s+win)); s+=hop
        sub.append((max(a,b-win),b))
    E=np.stack([ (lambda e:e/np.linalg.norm(e))(EMB.run(None,{'x':campp_feats(w[int(a*16000):int(b*16000)])[None]})[0][0]) for a,b in sub])
    Z=linkage(E,'average',metric='cosine')
    lab=fcluster(Z,n,'maxclust') if n else fcluster(Z,1-thr,'distance')
    # assign each 10ms frame to label of nearest subsegment center
    out=[]
    for (a,b),l in zip(sub,lab):
        out.append((a,b,int(l)))
    # resolve overlaps: frame-wise vote
    dur=len(w)/16000; step=0.01; F=np.full(int(dur/step)+1,-1)
    cen=np.array([(a+b)/2 for a,b in sub])
    for a,b in segs:
        for f in range(int(a/step),min(int(b/step),len(F))):
            F[f]=lab[np.argmin(np.abs(cen-f*step))]
    hyp=[];cur=None
    for f,l in enumerate(F):
        if l!=(cur[2] if cur else None):
            if cur and cur[2]!=-1: hyp.append((cur[0],f*step,cur[2]))
            cur=[f*step,None,l]
    if cur and cur[2]!=-1: hyp.append((cur[0],len(F)*step,cur[2]))
    return hyp, len(set(lab))
for name in sys.argv[1:]:
    ref=[(float(l.split()[3]),float(l.split()[3])+float(l.split()[4]),l.split()[7]) for l in open(f'audio/{name}.rttm')]
    w,_=sf.read(f'audio/{name}.wav',dtype='float32')
    for thr in (0.4,0.5,0.6):
        hyp,k=diarize(w,thr); d=der(ref,hyp,len(w)/16000)
        print(f'{name:22s} VAD+CAM++ AHC(avg, cos-sim thr {thr}) -> {k} spk, DER={d[0]*100:5.1f}% (miss {d[1]*100:.1f} fa {d[2]*100:.1f} conf {d[3]*100:.1f})')
