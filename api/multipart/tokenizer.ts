/**
 * A streaming multipart/form-data tokenizer (RFC 7578 / RFC 2046 framing only): bytes in, part
 * boundaries, raw header blocks and body slices out. It holds at most one header block (bounded)
 * plus a delimiter's length of look-behind, so a 2 GB file part streams through in constant memory.
 * What a part means (file, field, limits on counts) is the caller's business.
 */

export type MultipartToken =
  | { kind: 'part'; headers: Buffer }
  | { kind: 'data'; chunk: Buffer }
  | { kind: 'partEnd' }
  | { kind: 'end' };

/** Why framing failed; the caller turns it into a client-facing message (never parser state names). */
export class MultipartFramingError extends Error {
  constructor(
    readonly reason: 'malformed' | 'headers_too_large' | 'incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'MultipartFramingError';
  }
}

const CR = 0x0d;
const LF = 0x0a;
const HYPHEN = 0x2d;
const SPACE = 0x20;
const TAB = 0x09;
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

enum State {
  Preamble,
  AfterDelimiter,
  Headers,
  Body,
  Done,
}

export interface TokenizerLimits {
  /** Bytes of one part's header block (Content-Disposition with its file name, Content-Type…). */
  maxHeaderBytes: number;
  /** Bytes tolerated before the first boundary (clients send none). */
  maxPreambleBytes: number;
}

export class MultipartTokenizer {
  private state = State.Preamble;
  // The body starts as if preceded by CRLF, so the first delimiter matches like every later one.
  private pending: Buffer = Buffer.from('\r\n');
  private readonly delimiter: Buffer;

  constructor(
    boundary: string,
    private readonly limits: TokenizerLimits,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === State.Done;
  }

  /** Tokens for this chunk; slices may reference `chunk`, so consume them before the next push. */
  push(chunk: Buffer): MultipartToken[] {
    const out: MultipartToken[] = [];
    if (this.state === State.Done) return out; // epilogue: ignored, as RFC 2046 says
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = EMPTY;
    for (;;) {
      switch (this.state) {
        case State.Preamble: {
          const i = buf.indexOf(this.delimiter);
          if (i < 0) {
            if (buf.length > this.limits.maxPreambleBytes + this.delimiter.length) {
              throw new MultipartFramingError('malformed', 'The body does not start with the multipart boundary named in its Content-Type.');
            }
            this.pending = Buffer.from(buf);
            return out;
          }
          buf = buf.subarray(i + this.delimiter.length);
          this.state = State.AfterDelimiter;
          continue;
        }
        case State.AfterDelimiter: {
          // RFC 2046 allows transport padding (spaces, tabs) between the boundary and its CRLF.
          let j = 0;
          while (j < buf.length && (buf[j] === SPACE || buf[j] === TAB)) j++;
          buf = buf.subarray(j);
          if (buf.length < 2) {
            this.pending = Buffer.from(buf);
            return out;
          }
          if (buf[0] === HYPHEN && buf[1] === HYPHEN) {
            this.state = State.Done;
            out.push({ kind: 'end' });
            return out;
          }
          if (buf[0] === CR && buf[1] === LF) {
            this.state = State.Headers;
            // Keep the CRLF: a header block then always ends in CRLFCRLF, an empty one included.
            continue;
          }
          throw new MultipartFramingError('malformed', 'A multipart boundary is followed by unexpected bytes.');
        }
        case State.Headers: {
          const i = buf.indexOf(HEADER_END);
          if (i < 0 || i > this.limits.maxHeaderBytes) {
            if (i >= 0 || buf.length > this.limits.maxHeaderBytes + HEADER_END.length) {
              throw new MultipartFramingError('headers_too_large', `The headers of a multipart part are larger than ${this.limits.maxHeaderBytes} bytes.`);
            }
            this.pending = Buffer.from(buf);
            return out;
          }
          out.push({ kind: 'part', headers: Buffer.from(buf.subarray(2, i)) });
          buf = buf.subarray(i + HEADER_END.length);
          this.state = State.Body;
          continue;
        }
        case State.Body: {
          const i = buf.indexOf(this.delimiter);
          if (i >= 0) {
            if (i > 0) out.push({ kind: 'data', chunk: buf.subarray(0, i) });
            out.push({ kind: 'partEnd' });
            buf = buf.subarray(i + this.delimiter.length);
            this.state = State.AfterDelimiter;
            continue;
          }
          // The tail may be the start of a delimiter split across chunks: hold it back.
          const keep = Math.min(buf.length, this.delimiter.length - 1);
          const safe = buf.length - keep;
          if (safe > 0) out.push({ kind: 'data', chunk: buf.subarray(0, safe) });
          this.pending = Buffer.from(buf.subarray(safe));
          return out;
        }
        default:
          return out;
      }
    }
  }

  /** The body ended: throws unless the closing boundary was seen. */
  end(): void {
    if (this.state !== State.Done) throw new MultipartFramingError('incomplete', 'The multipart body ended before it was complete.');
  }
}
