/**
 * Tuning aid for the brief summary (not part of `npm run bench`): fact recall and time of briefs,
 * through the production summarizeText, on one split of the planted-fact sets at a time.
 *   npx tsx bench/llm-brief-tune.ts <model id> <threads> long   test|bench   the whole meeting, whole text vs selection
 *   npx tsx bench/llm-brief-tune.ts <model id> <threads> sections test|bench one brief per section
 * `test` is the tests' planted transcript (test/helpers/planted-transcript.ts), the split prompts
 * and the selection were tuned on; `bench` is the bench's held-out set (bench/data/llm/), reported on.
 */
import os from 'node:os';
import pino from 'pino';
import { LlmThreadModel } from '../lib/llm/model';
import { summarizeText } from '../lib/llm/summarize';
import { directRequest } from '../lib/llm/summary-prompts';
import { SECTIONS } from '../test/helpers/planted-transcript';
import { factsFound, loadSections, memoryParts } from './llm-quality';

const [id = 'qwen2.5-coder-1.5b-instruct-q4_k_m', threadsArg = '2', what = 'long', split = 'test'] = process.argv.slice(2);
const threads = Number(threadsArg);
/** long: `whole` (default) measures the whole text too; `selected` only summarizeText's path. */
const mode = process.argv[6] ?? 'whole';
const sections =
  split === 'bench'
    ? loadSections().map((s) => ({ text: s.text, facts: s.facts }))
    : SECTIONS.map((s) => ({ text: s.text, facts: s.facts.map((f) => [f]) }));

(async () => {
  const m = await LlmThreadModel.load(id, `${process.env.HOME}/.cache/voxflow/models/llm/${id}/model.gguf`, { device: 'cpu', contextSize: 4096, threads, concurrency: 1, maxOutputTokens: 1024 }, pino({ level: 'warn' }));
  const brief = async (text: string, facts: string[][], label: string, whole = false) => {
    const t0 = Date.now();
    const r = whole ? await m.generate(directRequest('brief', text)) : undefined;
    const out = r ? { summary: r.text, promptTokens: r.promptTokens } : await summarizeText(m, text, 'brief', { chunkTokens: 2560, briefSelect: true, parts: memoryParts() });
    const found = factsFound(out.summary, facts);
    console.log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s, prompt ${out.promptTokens} tokens, facts ${found.length}/${facts.length}, load ${os.loadavg()[0].toFixed(1)}; missed [${facts.filter((f) => !found.includes(f)).map((f) => f[0])}]\n    ${out.summary.replace(/\n/g, ' ')}`);
    return found.length;
  };
  if (what === 'long') {
    const text = sections.map((s) => s.text).join('\n');
    const facts = sections.flatMap((s) => s.facts);
    if (mode !== 'selected') await brief(text, facts, `${id} t${threads} ${split} long, whole text`, true);
    await brief(text, facts, `${id} t${threads} ${split} long, summarizeText (selection)`);
  } else {
    let found = 0;
    for (const [i, s] of sections.entries()) found += await brief(s.text, s.facts, `${split} section ${i}`);
    console.log(`${id} t${threads} ${split} sections: facts ${found}/${sections.reduce((n, s) => n + s.facts.length, 0)}`);
  }
  await m.release();
})();
