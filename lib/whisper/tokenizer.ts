import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Decoding side of Whisper's GPT-2 byte-level BPE. Token strings in tokenizer.json spell raw bytes through
 * GPT-2's bytes_to_unicode map; ids ≥ eot are special/timestamp tokens and carry no text. We work in bytes
 * and decode UTF-8 only at the end, because one character can be split across several tokens.
 */
export class WhisperTokenizer {
  private readonly bytesById: Array<Uint8Array | undefined>;
  private readonly utf8 = new TextDecoder('utf-8'); // non-fatal: broken sequences become U+FFFD

  constructor(vocab: Record<string, number>, readonly eot: number) {
    const byteOf = byteDecoder();
    this.bytesById = [];
    for (const [str, id] of Object.entries(vocab)) {
      if (id >= eot) continue;
      const bytes = new Uint8Array(str.length);
      for (let i = 0; i < str.length; i++) {
        const b = byteOf.get(str[i]);
        if (b === undefined) throw new Error(`tokenizer: token ${id} has a character outside the byte alphabet`);
        bytes[i] = b;
      }
      this.bytesById[id] = bytes;
    }
  }

  static async load(dir: string, eot: number): Promise<WhisperTokenizer> {
    const json = JSON.parse(await readFile(path.join(dir, 'tokenizer.json'), 'utf8')) as { model?: { vocab?: Record<string, number> } };
    if (!json.model?.vocab) throw new Error(`${dir}/tokenizer.json: no model.vocab`);
    return new WhisperTokenizer(json.model.vocab, eot);
  }

  /** Raw bytes of the text tokens (special and timestamp tokens contribute nothing). */
  bytes(ids: readonly number[]): Uint8Array {
    let n = 0;
    for (const id of ids) n += this.bytesById[id]?.length ?? 0;
    const out = new Uint8Array(n);
    let o = 0;
    for (const id of ids) {
      const b = this.bytesById[id];
      if (b) { out.set(b, o); o += b.length; }
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    return this.utf8.decode(this.bytes(ids));
  }

  isText(id: number): boolean {
    return id < this.eot && this.bytesById[id] !== undefined;
  }
}

/** Inverse of GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
function byteDecoder(): Map<string, number> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const set = new Set(printable);
  const map = new Map<string, number>();
  for (const b of printable) map.set(String.fromCharCode(b), b);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!set.has(b)) map.set(String.fromCharCode(256 + extra++), b);
  }
  return map;
}
