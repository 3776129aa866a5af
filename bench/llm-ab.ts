/**
 * Measuring aid (not part of `npm run bench`): the LLM bench's speed probe (844-token prompt, 128 tokens
 * generated) on ours (LlmThreadModel) and on llama-completion, alternating A/B then B/A for several rounds,
 * each line with the load average, so a disturbed round on the shared machine shows as such.
 *   npx tsx bench/llm-ab.ts <model id> <threads> <rounds>
 */
import os from 'node:os';
import pino from 'pino';
import { LlmThreadModel } from '../lib/llm/model';
import { chatMl } from './llm-chatml';
import { installPeer, peerComplete } from './llm-peer';
import { loadSections } from './llm-quality';
const id = process.argv[2];
const threads = Number(process.argv[3] ?? 2);
const rounds = Number(process.argv[4] ?? 2);
const modelPath = `${process.env.HOME}/.cache/voxflow/models/llm/${id}/model.gguf`;
(async () => {
  const s = loadSections();
  const probe = { system: 'You are a precise assistant that summarizes meeting transcripts.', prompt: `Write a long, detailed summary of this transcript, topic by topic, with every name, number and date.\n\nTranscript:\n"""\n${s[0].text}\n${s[1].text}\n"""`, maxTokens: 128 };
  const m = await LlmThreadModel.load(id, modelPath, { device: 'cpu', contextSize: 4096, threads, concurrency: 1, maxOutputTokens: 1024 }, pino({ level: 'warn' }));
  await m.generate({ system: 'You are helpful.', prompt: 'Say hello.', maxTokens: 8 });
  const peer = { bin: installPeer(), modelPath, threads, contextSize: 4096 };
  await peerComplete(peer, chatMl({ system: 'You are helpful.', prompt: 'Say hello.' }), 8);
  const l = () => os.loadavg()[0].toFixed(2);
  for (let r = 0; r < rounds; r++) {
    const ours = async () => { const x = await m.generate(probe); const first = x.firstTokenMs ?? x.ms; console.log(`ours t${threads} pp ${(x.promptTokens / first * 1000).toFixed(1)} tg ${((x.outputTokens - 1) / (x.ms - first) * 1000).toFixed(1)} (${x.outputTokens} tok) load ${l()}`); };
    const theirs = async () => { const p = await peerComplete(peer, chatMl(probe), 128); console.log(`peer t${threads} pp ${(p.promptTokens / p.firstTokenMs * 1000).toFixed(1)} tg ${(p.evalRuns / p.evalMs * 1000).toFixed(1)} (${p.outputTokens} tok) load ${l()}`); };
    if (r % 2) { await theirs(); await ours(); } else { await ours(); await theirs(); }
  }
  await m.release();
})();
