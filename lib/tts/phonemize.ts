/**
 * Text → IPA phonemes with espeak-ng, the way Piper's runtime does it (piper-tts 1.8
 * phonemize_espeak.py): espeak-ng's IPA for each clause of the voice's language, language-switch
 * flags such as `(fr)` removed, the clause's punctuation kept (`,` `:` `;` followed by a space), then
 * split into Unicode code points after NFD, so accents are phonemes of their own.
 *
 * Piper calls libespeak-ng in-process, and so do we when asked (`engine: 'library'`,
 * VOXFLOW_TTS_PHONEMIZER=library) and its library loads (lib/tts/espeak-lib.ts: the same phonemes,
 * ~0.1 ms a clause instead of ~42 ms a spawn). It is opt-in because libespeak-ng is GPL-3.0-or-later and
 * this service is MIT: by default (or when the library does not load) the program runs once per text (all its sentences), its clauses on lines separated by blank
 * lines (espeak reads standard input line by line and answers one line per clause, a blank line
 * for each blank line), so each clause's phonemes come back in order and the terminators are ours.
 */
import { spawn } from 'node:child_process';
import { clauseIpa, espeakLibraryAvailable } from './espeak-lib';
import type { Clause } from './sentences';

/** The program name whose library is used in-process (Debian's espeak-ng links libespeak-ng.so.1). */
const DEFAULT_PROGRAM = 'espeak-ng';

export interface EspeakOptions {
  /** The espeak-ng executable. */
  bin: string;
  /** espeak-ng voice, from the Piper voice's config (`en-us`). */
  voice: string;
  signal?: AbortSignal;
  /** 'library' (in-process, when `bin` is the default program and its library loads) or 'program' (spawned, the default). */
  engine?: 'library' | 'program';
}

export const espeakEngine = (opts: EspeakOptions): 'library' | 'program' =>
  opts.engine === 'library' && opts.bin === DEFAULT_PROGRAM && espeakLibraryAvailable() ? 'library' : 'program';

export class EspeakError extends Error {}

/** One sentence's phonemes (code points), ready for phonemesToIds. */
export async function phonemizeSentence(clauses: readonly Clause[], opts: EspeakOptions): Promise<string[]> {
  return (await phonemizeSentences([clauses], opts))[0];
}

/**
 * Every sentence's phonemes: in-process clause by clause, or from ONE espeak-ng run (all clauses of
 * all sentences, blank-line separated): a spawn costs about 45 ms on this machine, as much as
 * phonemizing a whole paragraph, so one per sentence was a fixed cost per graph run.
 */
export async function phonemizeSentences(sentences: ReadonlyArray<readonly Clause[]>, opts: EspeakOptions): Promise<string[][]> {
  const clauses = sentences.flat();
  if (!clauses.length) return sentences.map(() => []);
  const perClause = espeakEngine(opts) === 'library' ? libraryIpa(clauses, opts) : await programIpa(clauses, opts);
  let next = 0;
  return sentences.map((sentence) => {
    let phonemes = '';
    for (const c of sentence) {
      phonemes += perClause[next++].replace(/\([^)]+\)/g, '') + c.terminator;
      if (c.terminator === ',' || c.terminator === ':' || c.terminator === ';') phonemes += ' ';
    }
    return Array.from(phonemes.normalize('NFD'));
  });
}

function libraryIpa(clauses: readonly Clause[], opts: EspeakOptions): string[] {
  return clauses.map((c) => {
    opts.signal?.throwIfAborted();
    return clauseIpa(c.text, opts.voice);
  });
}

async function programIpa(clauses: readonly Clause[], opts: EspeakOptions): Promise<string[]> {
  const groups = await espeakIpa(clauses.map((c) => c.text).join('\n\n') + '\n', opts);
  // Fallback for a clause espeak answered with no line at all (nothing speakable): one clause per run.
  return groups.length === clauses.length ? groups : Promise.all(clauses.map(async (c) => (await espeakIpa(c.text + '\n', opts)).join(' ')));
}

/** espeak-ng's IPA for `input`: the lines between blank lines, each group joined by a space. */
function espeakIpa(input: string, opts: EspeakOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.bin, ['-q', '--ipa', '-v', opts.voice], { stdio: ['pipe', 'pipe', 'pipe'], signal: opts.signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new EspeakError(`espeak-ng could not run (${opts.bin}): ${e.message}; install Debian espeak-ng (scripts/models/install-tts.sh)`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new EspeakError(`espeak-ng exited ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 200)}`));
      const text = Buffer.concat(out).toString('utf8');
      const groups = text
        .split(/\n[ \t]*\n/)
        .map((g) => g.split('\n').map((l) => l.trim()).filter(Boolean).join(' '))
        .filter((g, i, all) => g || i < all.length - 1);
      resolve(groups.filter(Boolean).length === groups.length ? groups : groups.filter(Boolean));
    });
    child.stdin.on('error', () => undefined); // a failed start is reported by 'error' above
    child.stdin.end(input, 'utf8');
  });
}
