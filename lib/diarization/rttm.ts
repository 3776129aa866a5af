/**
 * RTTM, the NIST interchange format for "who spoke when", so references and outputs can be fed to
 * md-eval / pyannote.metrics / dscore unchanged. Pure string functions, no I/O.
 */
import type { SpeakerTurn } from './types';

/**
 * SPEAKER lines only (field 4 onset, 5 duration, 8 name; 1-based); other record types, comments and
 * blank lines are skipped, since only speaker turns matter for diarization. Turns of every file id are
 * returned in file order.
 */
export function parseRttm(text: string): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'SPEAKER') return;
    const onset = Number(f[3]);
    const duration = Number(f[4]);
    const speaker = f[7];
    if (f.length < 8 || !Number.isFinite(onset) || !Number.isFinite(duration) || duration < 0 || !speaker) {
      throw new Error(`bad RTTM SPEAKER line ${i + 1}: ${line}`);
    }
    turns.push({ start: onset, end: onset + duration, speaker });
  });
  return turns;
}

/**
 * Millisecond precision (what scoring tools read); whitespace in names or the file id becomes "_"
 * because RTTM fields are whitespace-separated and "Speaker 1" would otherwise split into two fields.
 */
export function formatRttm(fileId: string, turns: SpeakerTurn[]): string {
  const id = field(fileId);
  return turns
    .map((t) => `SPEAKER ${id} 1 ${t.start.toFixed(3)} ${Math.max(0, t.end - t.start).toFixed(3)} <NA> <NA> ${field(t.speaker)} <NA> <NA>\n`)
    .join('');
}

const field = (s: string) => s.trim().replace(/\s+/g, '_') || '_';
