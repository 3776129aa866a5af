import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Decoding side of Whisper's GPT-2 byte-level BPE. Token strings in tokenizer.json spell raw bytes through
 * GPT-2's bytes_to_unicode map; ids ≥ eot are special/timestamp tokens and carry no text. We work in bytes
 * and decode UTF-8 only at the end, because one character can be split across several tokens.
 */
export class WhisperTokenizer {
  /**
   * Every text token's bytes back to back, with each id's offset and length: one typed array for the 50k
   * tokens instead of one Uint8Array each, which cost ~35 MB of RSS in object headers and backing stores.
   */
  private readonly data: Uint8Array;
  /** Offset into data by token id; -1 for ids without bytes. */
  private readonly offset: Int32Array;
  private readonly length: Uint16Array;
  private readonly utf8 = new TextDecoder('utf-8'); // non-fatal: broken sequences become U+FFFD

  constructor(vocab: Record<string, number>, readonly eot: number) {
    const byteOf = byteDecoder();
    let total = 0;
    for (const str in vocab) if (vocab[str] < eot) total += str.length; // one character per byte
    this.data = new Uint8Array(total);
    this.offset = new Int32Array(Math.max(0, eot)).fill(-1);
    this.length = new Uint16Array(Math.max(0, eot));
    let o = 0;
    for (const str in vocab) {
      const id = vocab[str];
      if (id >= eot) continue;
      if (!(id >= 0)) throw new Error(`tokenizer: token '${str}' has an invalid id ${id}`);
      this.offset[id] = o;
      this.length[id] = str.length;
      for (let i = 0; i < str.length; i++) {
        const b = byteOf.get(str[i]);
        if (b === undefined) throw new Error(`tokenizer: token ${id} has a character outside the byte alphabet`);
        this.data[o++] = b;
      }
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
    for (const id of ids) if (this.isText(id)) n += this.length[id];
    const out = new Uint8Array(n);
    let o = 0;
    for (const id of ids) {
      if (!this.isText(id)) continue;
      const at = this.offset[id];
      out.set(this.data.subarray(at, at + this.length[id]), o);
      o += this.length[id];
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    return this.utf8.decode(this.bytes(ids));
  }

  isText(id: number): boolean {
    return id >= 0 && id < this.eot && this.offset[id] >= 0;
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
