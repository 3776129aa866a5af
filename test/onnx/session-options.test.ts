/**
 * Every onnxruntime session the service creates through ortSessionOptions sleeps its pool threads
 * between ops: spinning threads of one session stole the cores of the others (two gpu slots, CAM++,
 * MiniLM, llama.cpp) and doubled transcription CPU time on the 2-core CI machine.
 */
import { ortSessionOptions } from '../../lib/onnx/session-options';
import { OnnxTextEmbedder } from '../../lib/embeddings/minilm';
import { embeddingModelDir } from '../embeddings/fixtures';

const spinEntries = (o: ReturnType<typeof ortSessionOptions>) => {
  const session = o.extra?.session as { intra_op?: { allow_spinning?: string }; inter_op?: { allow_spinning?: string } } | undefined;
  return [session?.intra_op?.allow_spinning, session?.inter_op?.allow_spinning];
};

it('turns thread spinning off by default, on only when asked', () => {
  expect(spinEntries(ortSessionOptions({}))).toEqual(['0', '0']);
  expect(spinEntries(ortSessionOptions({ intraOpNumThreads: 2, memoryArena: true }))).toEqual(['0', '0']);
  expect(spinEntries(ortSessionOptions({ spinning: true }))).toEqual(['1', '1']);
});

it('a real session (MiniLM, 2 threads) accepts the entries and still computes', async () => {
  const e = await OnnxTextEmbedder.load(embeddingModelDir(), { intraOpNumThreads: 2 });
  try {
    const r = await e.embed(['The lease ends in March.', 'Maria will call the landlord.']);
    expect(r.vectors).toHaveLength(2);
    const norm = Math.hypot(...r.vectors[0]);
    expect(norm).toBeCloseTo(1, 3);
  } finally {
    await e.release();
  }
});
