// Controlled A/B of the bench's probe (844-token prompt, 128 tokens): ours (LlmThreadModel) vs llama-completion, alternating.
import os from 'node:os';
import pino from 'pino';
import { LlmThreadModel } from '../lib/llm/model';
import { chatMl } from './llm-chatml';
import { peerComplete } from './llm-peer';
import { loadSections } from './llm-quality';
const id = process.argv[2];
const threads = Number(process.argv[3] ?? 2);
const rounds = Number(process.argv[4] ?? 2);
const bin = `${process.env.HOME}/.cache/voxflow/tools/llama.cpp-v0.4.0-80fb11ac73e6/build/bin`;
const modelPath = `${process.env.HOME}/.cache/voxflow/models/llm/${id}/model.gguf`;
(async () => {
  const s = loadSections();
  const probe = { system: 'You are a precise assistant that summarizes meeting transcripts.', prompt: `Write a long, detailed summary of this transcript, topic by topic, with every name, number and date.\n\nTranscript:\n"""\n${s[0].text}\n${s[1].text}\n"""`, maxTokens: 128 };
  const m = await LlmThreadModel.load(id, modelPath, { device: 'cpu', contextSize: 4096, threads, concurrency: 1, maxOutputTokens: 1024 }, pino({ level: 'warn' }));
  await m.generate({ system: 'You are helpful.', prompt: 'Say hello.', maxTokens: 8 });
  const peer = { bin, modelPath, threads, contextSize: 4096 };
  await peerComplete(peer, chatMl({ system: 'You are helpful.', prompt: 'Say hello.' }), 8);
  const l = () => os.loadavg()[0].toFixed(2);
  for (let r = 0; r < rounds; r++) {
    const ours = async () => { const x = await m.generate(probe); const first = x.firstTokenMs ?? x.ms; console.log(`ours t${threads} pp ${(x.promptTokens / first * 1000).toFixed(1)} tg ${((x.outputTokens - 1) / (x.ms - first) * 1000).toFixed(1)} (${x.outputTokens} tok) load ${l()}`); };
    const theirs = async () => { const p = await peerComplete(peer, chatMl(probe), 128); console.log(`peer t${threads} pp ${(p.promptTokens / p.firstTokenMs * 1000).toFixed(1)} tg ${(p.evalRuns / p.evalMs * 1000).toFixed(1)} (${p.outputTokens} tok) load ${l()}`); };
    if (r % 2) { await theirs(); await ours(); } else { await ours(); await theirs(); }
  }
  await m.release();
})();
