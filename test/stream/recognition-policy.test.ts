/** The streaming recogniser's pure parts: local agreement, endpointing, decode order and coalescing. */
import { LocalAgreement } from '../../lib/streaming/local-agreement';
import { Endpointer } from '../../lib/streaming/endpointer';
import { DecodeQueue } from '../../lib/streaming/decode-queue';
import { int16leToFloat32 } from '../../lib/streaming/pcm';

it('local agreement: only words two consecutive decodes agree on become stable, and stable words never change', () => {
  const a = new LocalAgreement();
  expect(a.update('ask not')).toEqual({ stable: '', unstable: 'ask not', grew: false });
  expect(a.update('ask not what')).toEqual({ stable: 'ask not', unstable: 'what', grew: true });
  // A revision of a stable word does not flicker it: the stable words stay as first agreed; past them, agreement goes on.
  expect(a.update('Ask knot what your')).toEqual({ stable: 'ask not what', unstable: 'your', grew: true });
  expect(a.update('ask not what our')).toEqual({ stable: 'ask not what', unstable: 'our', grew: false });
  expect(a.update('ask not what your country')).toEqual({ stable: 'ask not what', unstable: 'your country', grew: false });
  expect(a.update('ask not what your country')).toEqual({ stable: 'ask not what your country', unstable: '', grew: true });
  // Punctuation and case do not count as disagreement.
  expect(a.update('Ask not, what your country can.').stable).toBe('ask not what your country');
  expect(a.update('Ask not, what your country can do').stable).toBe('ask not what your country can');
  a.reset();
  expect(a.update('new utterance').stable).toBe('');
});

it('endpointer: speech starts over the onset, ends after the configured silence under the offset', () => {
  const e = new Endpointer({ endSilenceMs: 96, sampleRate: 16000 }); // 3 windows of 32 ms
  const events = [0.1, 0.9, 0.8, 0.2, 0.6, 0.1, 0.1, 0.1, 0.1].map((p) => e.push(p));
  expect(events[1]).toEqual({ kind: 'start', at: 512 });
  // 0.6 between the dips is above the offset: the first dip does not end the utterance.
  expect(events.slice(2, 7).every((x) => x === undefined)).toBe(true);
  expect(events[7]).toEqual({ kind: 'end', at: 8 * 512, speechEnd: 5 * 512 });
});

it('decode queue: finals first and all of them, one waiting partial per stream (a newer one replaces it and reports behind)', async () => {
  const q = new DecodeQueue();
  const ran: string[] = [];
  const job = (name: string) => async () => void ran.push(name);
  const behind1 = q.partial('a', job('a1'));
  const behind2 = q.partial('a', job('a2'));
  q.partial('b', job('b1'));
  const f1 = q.final(job('f1'));
  const f2 = q.final(job('f2'));
  await Promise.all([f1, f2]);
  await new Promise((r) => setTimeout(r, 50));
  expect([behind1, behind2]).toEqual([false, true]);
  expect(ran).toEqual(['f1', 'f2', 'a2', 'b1']);
});

it('PCM Int16 LE to float', () => {
  const b = Buffer.alloc(6);
  b.writeInt16LE(-32768, 0);
  b.writeInt16LE(16384, 2);
  b.writeInt16LE(-1, 4);
  expect(Array.from(int16leToFloat32(b.subarray(0)))).toEqual([-1, 0.5, -1 / 32768]);
});
