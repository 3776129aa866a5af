/**
 * Diarization error rate with NIST md-eval semantics, so our numbers are comparable with published ones:
 * a no-score collar around every reference boundary, overlapping speech counted once per speaker, and an
 * optimal one-to-one hypothesis→reference speaker mapping (the labels a system invents are arbitrary).
 * Pure and dependency-free: used by tests, the benchmark and anything that scores a run.
 */
import type { SpeakerTurn } from './types';

export interface DerOptions {
  /** Seconds either side of each reference turn start and end that are not scored (md-eval default 0.25). */
  collar?: number;
  /** Frame grid in seconds; a frame counts as active when its midpoint lies inside a turn. */
  step?: number;
}

export interface DerResult {
  /** (missed + falseAlarm + confusion) / scored reference speaker time; see diarizationError for the empty-reference case. */
  der: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  missedSeconds: number;
  falseAlarmSeconds: number;
  confusionSeconds: number;
  /** Scored reference speaker time: overlapped speech counts once per speaker. */
  scoredSeconds: number;
  /** Number of distinct speaker labels in the reference and in the hypothesis. */
  refSpeakers: number;
  hypSpeakers: number;
  /** Each hypothesis label → the reference label it was scored as, or null when it matched nobody. */
  mapping: Record<string, string | null>;
}

/**
 * Scores `hyp` against `ref`. When no reference time is scored (a silent file, or every reference turn
 * lies inside the collar) a ratio is undefined, so: der = 0 if the hypothesis has no scored speech either,
 * else der = falseAlarm = 1 (any speech claimed on silence is a total failure, never Infinity).
 */
export function diarizationError(ref: SpeakerTurn[], hyp: SpeakerTurn[], opts: DerOptions = {}): DerResult {
  const collar = opts.collar ?? 0.25;
  const step = opts.step ?? 0.01;
  if (!(step > 0)) throw new Error(`step must be > 0 (got ${step})`);
  if (!(collar >= 0)) throw new Error(`collar must be >= 0 (got ${collar})`);

  const refLabels = labels(ref);
  const hypLabels = labels(hyp);
  const maxEnd = [...ref, ...hyp].reduce((m, t) => Math.max(m, t.end), 0);
  const frames = Math.ceil(maxEnd / step) + 1;

  const refAct = activity(ref, refLabels, frames, step);
  const hypAct = activity(hyp, hypLabels, frames, step);

  const scored = new Uint8Array(frames).fill(1);
  if (collar > 0) {
    for (const t of ref) {
      for (const b of [t.start, t.end]) {
        const [a, z] = frameRange(b - collar, b + collar, frames, step);
        scored.fill(0, a, z);
      }
    }
  }

  // Overlap counted on scored frames only, like md-eval: collar time must not sway the mapping.
  const overlap = refLabels.map(() => new Array<number>(hypLabels.length).fill(0));
  for (let r = 0; r < refLabels.length; r++) {
    for (let h = 0; h < hypLabels.length; h++) {
      let n = 0;
      const ra = refAct[r];
      const ha = hypAct[h];
      for (let i = 0; i < frames; i++) n += scored[i] & ra[i] & ha[i];
      overlap[r][h] = n;
    }
  }
  const assign = maxAssignment(overlap, refLabels.length, hypLabels.length); // hyp index → ref index or -1
  const mapping: Record<string, string | null> = {};
  hypLabels.forEach((h, j) => (mapping[h] = assign[j] >= 0 ? refLabels[assign[j]] : null));

  let refFrames = 0;
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  for (let i = 0; i < frames; i++) {
    if (!scored[i]) continue;
    let nref = 0;
    for (let r = 0; r < refLabels.length; r++) nref += refAct[r][i];
    let nhyp = 0;
    let correct = 0;
    for (let h = 0; h < hypLabels.length; h++) {
      if (!hypAct[h][i]) continue;
      nhyp++;
      if (assign[h] >= 0 && refAct[assign[h]][i]) correct++;
    }
    refFrames += nref;
    // Plain comparisons, not Math.*: this runs per frame, and Math calls are slow inside jest's sandbox.
    if (nref > nhyp) {
      missed += nref - nhyp;
      confusion += nhyp - correct;
    } else {
      falseAlarm += nhyp - nref;
      confusion += nref - correct;
    }
  }

  const seconds = (n: number) => n * step;
  const base = {
    missedSeconds: seconds(missed),
    falseAlarmSeconds: seconds(falseAlarm),
    confusionSeconds: seconds(confusion),
    scoredSeconds: seconds(refFrames),
    refSpeakers: refLabels.length,
    hypSpeakers: hypLabels.length,
    mapping,
  };
  if (refFrames === 0) {
    const fa = falseAlarm > 0 ? 1 : 0;
    return { der: fa, missed: 0, falseAlarm: fa, confusion: 0, ...base };
  }
  return {
    der: (missed + falseAlarm + confusion) / refFrames,
    missed: missed / refFrames,
    falseAlarm: falseAlarm / refFrames,
    confusion: confusion / refFrames,
    ...base,
  };
}

function labels(turns: SpeakerTurn[]): string[] {
  return [...new Set(turns.map((t) => t.speaker))].sort();
}

/** Frames whose midpoint (i + 0.5) * step lies in [start, end); the half-frame offset keeps grid-aligned times exact. */
function frameRange(start: number, end: number, frames: number, step: number): [number, number] {
  const a = Math.max(0, Math.ceil(start / step - 0.5));
  const z = Math.min(frames, Math.ceil(end / step - 0.5));
  return [a, Math.max(a, z)];
}

/** One 0/1 track per label: a speaker's own overlapping turns still count once. */
function activity(turns: SpeakerTurn[], names: string[], frames: number, step: number): Uint8Array[] {
  const index = new Map(names.map((n, i) => [n, i]));
  const act = names.map(() => new Uint8Array(frames));
  for (const t of turns) {
    const [a, z] = frameRange(t.start, t.end, frames, step);
    act[index.get(t.speaker)!].fill(1, a, z);
  }
  return act;
}

/**
 * Optimal one-to-one assignment maximising total overlap (Hungarian algorithm on a square, zero-padded
 * cost matrix): greedy matching is wrong whenever the biggest overlap is not part of the best pairing.
 * Returns, per hypothesis column, its reference row, or -1 when unmatched or matched with zero overlap.
 */
export function maxAssignment(overlap: number[][], rows: number, cols: number): number[] {
  const n = Math.max(rows, cols);
  const result = new Array<number>(cols).fill(-1);
  if (n === 0) return result;
  let max = 0;
  for (const row of overlap) for (const v of row) max = Math.max(max, v);
  const cost = (i: number, j: number) => max - (i < rows && j < cols ? overlap[i][j] : 0);

  // Classic O(n^3) potentials formulation, 1-based with a virtual column 0.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0); // p[j] = row assigned to column j
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= n; j++) {
    const r = p[j] - 1;
    const c = j - 1;
    if (c < cols && r < rows && overlap[r][c] > 0) result[c] = r;
  }
  return result;
}
