import sherpa_onnx, soundfile as sf, numpy as np, sys, itertools, time
def der(ref, hyp, dur, step=0.01, collar=0.0):
    n=int(dur/step)+1
    def grid(segs):
        spk=sorted(set(s for _,_,s in segs)); G=np.zeros((len(spk),n),bool)
        for a,b,s in segs: G[spk.index(s),int(a/step):int(b/step)]=True
        return spk,G
    rs,R=grid(ref); hs,H=grid(hyp)
    best=None
    k=max(len(rs),len(hs)); Rp=np.vstack([R,np.zeros((k-len(rs),n),bool)]); Hp=np.vstack([H,np.zeros((k-len(hs),n),bool)])
    for perm in itertools.permutations(range(k)):
        Hm=Hp[list(perm)]
        miss=np.maximum(Rp.sum(0)-Hm.sum(0),0).sum(); fa=np.maximum(Hm.sum(0)-Rp.sum(0),0).sum()
        conf=(np.minimum(Rp.sum(0),Hm.sum(0))-(Rp&Hm).sum(0)).sum()
        tot=(miss+fa+conf)/Rp.sum()
        if best is None or tot<best[0]: best=(tot,miss/Rp.sum(),fa/Rp.sum(),conf/Rp.sum())
    return best
def run(wav, num_speakers=-1, threshold=0.5):
    cfg=sherpa_onnx.OfflineSpeakerDiarizationConfig(
        segmentation=sherpa_onnx.OfflineSpeakerSegmentationModelConfig(pyannote=sherpa_onnx.OfflineSpeakerSegmentationPyannoteModelConfig(model='export/segmentation-3.0.sherpa.onnx'),num_threads=2),
        embedding=sherpa_onnx.SpeakerEmbeddingExtractorConfig(model='export/campplus_cn_en_common.sherpa.onnx',num_threads=2),
        clustering=sherpa_onnx.FastClusteringConfig(num_clusters=num_speakers,threshold=threshold),
        min_duration_on=0.3,min_duration_off=0.5)
    assert cfg.validate()
    sd=sherpa_onnx.OfflineSpeakerDiarization(cfg)
    w,sr=sf.read(wav,dtype='float32'); t=time.time()
    res=sd.process(w).sort_by_start_time(); el=time.time()-t
    return [(r.start,r.end,r.speaker) for r in res], el, len(w)/sr
for name in sys.argv[1:]:
    ref=[(float(l.split()[3]),float(l.split()[3])+float(l.split()[4]),l.split()[7]) for l in open(f'audio/{name}.rttm')]
    nref=len(set(s for *_,s in ref))
    for ns,th in [(nref,0.5),(-1,0.5),(-1,0.6),(-1,0.7)]:
        hyp,el,dur=run(f'audio/{name}.wav',ns,th)
        d=der(ref,hyp,dur)
        print(f'{name:22s} num_spk={ns:2d} thr={th} -> found {len(set(s for *_,s in hyp))} spk, DER={d[0]*100:5.1f}% (miss {d[1]*100:.1f} fa {d[2]*100:.1f} conf {d[3]*100:.1f}) RTF={el/dur:.3f}')
