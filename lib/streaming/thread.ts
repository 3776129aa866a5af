/**
 * An engine thread of the streaming pool: its own Whisper and Silero sessions (lib/asr/engines.ts,
 * loaded on the first stream), every stream it is given, and one decode queue for them all.
 * onnxruntime's session.run blocks whatever thread calls it; here that is this thread, never the API's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { ModelEngines } from '../asr/engines';
import { ModelRegistry } from '../models/registry';
import { loadStreamModel, type StreamAsr } from './stream-model';
import { DecodeQueue } from './decode-queue';
import type { FromThread, ThreadData, ToThread } from './protocol';
import { StreamRecognizer } from './recognizer';

const data = workerData as ThreadData;
const log = pino({ name: 'stream-engine', level: data.logLevel });
const engines = new ModelEngines(new ModelRegistry(data.modelsDir), { inference: data.inference, llm: data.llm }, log);
const queue = new DecodeQueue();
const whisper = new Map<string, Promise<StreamAsr>>();
const recognizer = (id: string) => {
  let m = whisper.get(id);
  if (!m) {
    whisper.set(id, (m = loadStreamModel(data, id, log)));
    m.catch(() => whisper.delete(id)); // a failed load may be retried
  }
  return m;
};
const streams = new Map<string, { model: string; ready: Promise<StreamRecognizer>; chain: Promise<void> }>();
const post = (m: FromThread) => parentPort!.postMessage(m);

parentPort!.on('message', (m: ToThread) => {
  if (m.op === 'shutdown') return void shutdown();
  if (m.op === 'open') {
    const ready = (async () => {
      const rssBefore = process.memoryUsage().rss;
      const [asr, vad] = await Promise.all([recognizer(m.model), engines.vad()]);
      const grown = process.memoryUsage().rss - rssBefore;
      if (grown > 50e6) log.info({ model: m.model, rssMb: Math.round(grown / 1e6) }, 'streaming models loaded');
      return new StreamRecognizer(m.id, asr, vad.stream(), queue, m.options, (message) => post({ op: 'message', id: m.id, message }));
    })();
    const s = { model: m.model, ready, chain: ready.then(() => undefined) };
    streams.set(m.id, s);
    ready.then(() => post({ op: 'opened', id: m.id }), (err) => fail(m.id, err));
    return;
  }
  const s = streams.get(m.id);
  if (!s) return;
  // One stream's audio is processed in order; a failure ends that stream only.
  s.chain = s.chain.then(async () => {
    const r = await s.ready;
    if (m.op === 'audio') {
      await r.push(m.pcm);
      post({ op: 'progress', id: m.id, ...r.progress });
    } else if (m.op === 'finish') {
      const outcome = await r.finish();
      streams.delete(m.id);
      post({ op: 'finished', id: m.id, outcome: { ...outcome, model: s.model } });
    } else {
      r.abort();
      streams.delete(m.id);
    }
  }).catch((err) => fail(m.id, err));
});

function fail(id: string, err: unknown): void {
  if (!streams.delete(id)) return;
  log.error({ err, stream: id }, 'stream recognition failed');
  post({ op: 'failed', id, message: (err as Error).message });
}

/**
 * Ends the thread from inside, between decodes: terminating a worker while onnxruntime's
 * session.run is on its stack aborts the whole process (the addon's error cannot reach a dying JS
 * environment and becomes an uncaught C++ exception).
 */
async function shutdown(): Promise<void> {
  for (const s of streams.values()) void s.ready.then((r) => r.abort(), () => undefined);
  streams.clear();
  await queue.drain();
  for (const m of whisper.values()) await (await m.catch(() => undefined))?.release().catch(() => undefined);
  await engines.release().catch(() => undefined);
  process.exit(0);
}
