/**
 * Offline tuning of the speaker-count estimate: embeds every case of the diarization set once (cached
 * next to the set, keyed by its version), then replays only the clustering with candidate settings and
 * prints count accuracy and pooled DER per group (clean / tuning / validation). Choose settings on the
 * tuning group; the validation group is the check.
 *   node --import tsx bench/diarization-tune.ts [--threads 2] [--ranges]
 * --ranges also prints, per case, the thresholds that give the right count.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodePcm16k } from '../lib/audio';
import { diarizationError } from '../lib/diarization/der';
import { DEFAULT_DIARIZER_SETTINGS, Diarizer, type DiarizerSettings, type EmbeddedSpeech } from '../lib/diarization/diarizer';
import { SpeakerEmbedder } from '../lib/diarization/embedder';
import { SileroVad } from '../lib/vad/silero';
import { diarizationSet, diarizationSetDir, type CaseGroup, type DiarizationCase } from '../test/helpers/diarization-set';
import { speakerModelDir, vadModelFile } from '../test/helpers/models';

interface Stored {
  regions: EmbeddedSpeech['regions'];
  windows: EmbeddedSpeech['windows'];
  embeddings: number[][];
}

export async function embeddedSet(threads: number): Promise<Array<{ c: DiarizationCase; speech: EmbeddedSpeech }>> {
  const set = diarizationSet();
  // Embeddings depend on the audio (the set's version), the model and the windowing: all in the key.
  const { windowS, hopS, region } = DEFAULT_DIARIZER_SETTINGS;
  const key = createHash('sha256')
    .update(fs.readFileSync(path.join(speakerModelDir(), 'manifest.json')))
    .update(JSON.stringify({ windowS, hopS, region }))
    .digest('hex')
    .slice(0, 12);
  const dir = `${diarizationSetDir()}.embeddings-${key}`;
  fs.mkdirSync(dir, { recursive: true });
  let diarizer: Diarizer | undefined;
  const out: Array<{ c: DiarizationCase; speech: EmbeddedSpeech }> = [];
  for (const c of set) {
    const file = path.join(dir, `${c.name}.json`);
    if (!fs.existsSync(file)) {
      if (!diarizer) {
        const vad = await SileroVad.load(vadModelFile());
        const embedder = await SpeakerEmbedder.load(speakerModelDir(), { intraOpNumThreads: threads });
        diarizer = new Diarizer(vad, embedder);
      }
      const t0 = performance.now();
      const sp = await diarizer.embedSpeech(decodePcm16k(c.wav, { ffmpeg: 'ffmpeg' }));
      const stored: Stored = { regions: sp.regions, windows: sp.windows, embeddings: sp.embeddings.map((e) => Array.from(e)) };
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(stored));
      fs.renameSync(`${file}.tmp`, file);
      console.error(`[tune] embedded ${c.name} (${c.duration.toFixed(0)} s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const st = JSON.parse(fs.readFileSync(file, 'utf8')) as Stored;
    out.push({ c, speech: { regions: st.regions, windows: st.windows, embeddings: st.embeddings.map((e) => Float32Array.from(e)) } });
  }
  return out;
}

export interface GroupScore {
  group: CaseGroup;
  countRight: number;
  cases: number;
  der: number;
  wrong: string[];
}

/** Count accuracy and pooled DER (collar 0.25 s) per group for one setting, the count estimated. */
export function scoreSettings(data: Array<{ c: DiarizationCase; speech: EmbeddedSpeech }>, settings: Partial<DiarizerSettings>, speakersGiven = false): GroupScore[] {
  const d = new Diarizer(null as never, null as never, settings);
  const groups = new Map<CaseGroup, { right: number; n: number; err: number; tot: number; wrong: string[] }>();
  for (const { c, speech } of data) {
    const r = d.assign(speech, speakersGiven ? c.speakers : 0);
    const g = groups.get(c.group) ?? { right: 0, n: 0, err: 0, tot: 0, wrong: [] };
    g.n++;
    if (r.speakers === c.speakers) g.right++;
    else g.wrong.push(`${c.name}:${r.speakers}/${c.speakers}`);
    if (c.turns.length) {
      const e = diarizationError(c.turns, r.turns, { collar: 0.25 });
      g.err += e.missedSeconds + e.falseAlarmSeconds + e.confusionSeconds;
      g.tot += e.scoredSeconds;
    }
    groups.set(c.group, g);
  }
  return [...groups].map(([group, g]) => ({ group, countRight: g.right, cases: g.n, der: Math.round((g.err / g.tot) * 1000) / 10, wrong: g.wrong }));
}

async function main() {
  const { values } = parseArgs({ options: { threads: { type: 'string' }, ranges: { type: 'boolean' } } });
  const data = await embeddedSet(Number(values.threads ?? 2));
  const show = (label: string, s: Partial<DiarizerSettings>, given = false) =>
    console.log(`${label.padEnd(40)} ${scoreSettings(data, s, given).map((g) => `${g.group} ${g.countRight}/${g.cases} DER ${g.der}% ${g.wrong.join(' ')}`).join(' | ')}`);
  show('given (large-cluster cut)', DEFAULT_DIARIZER_SETTINGS, true);
  show('default', DEFAULT_DIARIZER_SETTINGS);
  for (const threshold of [0.45, 0.5, 0.55]) show(`threshold ${threshold}`, { countRule: 'threshold', threshold });
  for (const eigengapKeep of [0.2, 0.25, 0.3, 0.32, 0.35, 0.4, 0.45]) show(`eigengap keep ${eigengapKeep}`, { countRule: 'eigengap', eigengapKeep });
  if (process.argv.includes('--ranges')) for (const line of thresholdRanges(data, { countRule: 'threshold' })) console.log(line);
}

if (require.main === module) main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/** Per case: the range of thresholds that gives the right count (the default rule otherwise). */
export function thresholdRanges(data: Array<{ c: DiarizationCase; speech: EmbeddedSpeech }>, base: Partial<DiarizerSettings> = {}): string[] {
  const grid = Array.from({ length: 41 }, (_, i) => 0.3 + i * 0.01);
  return data.map(({ c, speech }) => {
    const counts = grid.map((t) => new Diarizer(null as never, null as never, { ...base, threshold: t }).assign(speech, 0).speakers);
    const ok = grid.filter((_, i) => counts[i] === c.speakers);
    return `${c.group.padEnd(10)} ${c.name.padEnd(18)} truth ${c.speakers} ok ${ok.length ? `${ok[0].toFixed(2)}-${ok[ok.length - 1].toFixed(2)}` : 'never'}  counts ${counts.join('')}`;
  });
}
