import { MultipartFramingError, MultipartTokenizer } from '../../api/multipart/tokenizer';
import { parsePartHeaders } from '../../api/multipart/part-headers';
import { multipartBody } from '../helpers/raw-http';

const BOUNDARY = 'XyZ-boundary-42';
const limits = { maxHeaderBytes: 1024, maxPreambleBytes: 64 };

/** Feeds `chunks` and rebuilds the parts as (headers, body) pairs. */
function parse(chunks: Buffer[], boundary = BOUNDARY) {
  const t = new MultipartTokenizer(boundary, limits);
  const parts: Array<{ headers: string; body: Buffer }> = [];
  let cur: Buffer[] | undefined;
  let headers = '';
  let ended = false;
  for (const c of chunks) {
    for (const tok of t.push(c)) {
      if (tok.kind === 'part') {
        headers = tok.headers.toString('utf8');
        cur = [];
      } else if (tok.kind === 'data') cur!.push(Buffer.from(tok.chunk));
      else if (tok.kind === 'partEnd') parts.push({ headers, body: Buffer.concat(cur!) });
      else ended = true;
    }
  }
  t.end();
  return { parts, ended };
}

// A file body full of near-misses of the delimiter, so look-behind across chunk edges is exercised.
const tricky = Buffer.concat([Buffer.from('\r\n--XyZ-bound'), Buffer.from([0, 1, 2, 13, 10, 45, 45]), Buffer.from('\r\n--XyZ-boundary-4'), Buffer.alloc(300, 7), Buffer.from('\r\n-')]);
const body = multipartBody(BOUNDARY, [
  { name: 'language', data: 'en' },
  { name: 'file', filename: 'clip.wav', contentType: 'audio/wav', data: tricky },
  { name: 'empty', data: '' },
]);

describe('MultipartTokenizer', () => {
  it('rebuilds every part whatever the chunking (every split point, and byte by byte)', () => {
    const expected = parse([body]);
    expect(expected.ended).toBe(true);
    expect(expected.parts.map((p) => p.headers)).toEqual([
      'Content-Disposition: form-data; name="language"',
      'Content-Disposition: form-data; name="file"; filename="clip.wav"\r\nContent-Type: audio/wav',
      'Content-Disposition: form-data; name="empty"',
    ]);
    expect(expected.parts[1].body.equals(tricky)).toBe(true);
    expect(expected.parts[2].body.length).toBe(0);
    for (let i = 1; i < body.length; i++) {
      const got = parse([body.subarray(0, i), body.subarray(i)]);
      expect(got.parts.map((p) => p.body.toString('hex'))).toEqual(expected.parts.map((p) => p.body.toString('hex')));
    }
    const bytes = parse([...body].map((b) => Buffer.from([b])));
    expect(bytes.parts[1].body.equals(tricky)).toBe(true);
  });

  it('a body that stops before its closing boundary is incomplete, with a message of ours', () => {
    const cut = body.subarray(0, body.length - 10);
    expect(() => parse([cut])).toThrow(MultipartFramingError);
    try {
      parse([cut]);
    } catch (err) {
      expect((err as MultipartFramingError).reason).toBe('incomplete');
      expect((err as Error).message).toBe('The multipart body ended before it was complete.');
    }
    expect(() => parse([Buffer.alloc(0)])).toThrow('ended before it was complete');
  });

  it('bounds part headers and the preamble', () => {
    const long = multipartBody(BOUNDARY, [{ name: 'file', filename: 'a'.repeat(5000) + '.wav', data: 'x' }]);
    expect(() => parse([long])).toThrow(expect.objectContaining({ reason: 'headers_too_large' }));
    // Also when the oversized header block arrives in small pieces (never buffered past the bound).
    const t = new MultipartTokenizer(BOUNDARY, limits);
    expect(() => {
      for (let i = 0; i < long.length; i += 100) t.push(long.subarray(i, i + 100));
    }).toThrow(expect.objectContaining({ reason: 'headers_too_large' }));
    expect(() => parse([Buffer.from('x'.repeat(500))])).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it('rejects bytes after a boundary that are neither CRLF nor the closing dashes', () => {
    expect(() => parse([Buffer.from(`--${BOUNDARY}XX\r\n`)])).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });
});

describe('parsePartHeaders', () => {
  it('reads name, quoted and RFC 5987 file names, type and transfer encoding', () => {
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="file"; filename="a;b c.wav"\r\nContent-Type: audio/wav'))).toEqual({
      name: 'file',
      filename: 'a;b c.wav',
      contentType: 'audio/wav',
    });
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="file"; filename="C:\\Users\\me\\clip.wav"')).filename).toBe('C:\\Users\\me\\clip.wav');
    expect(parsePartHeaders(Buffer.from("content-disposition: form-data; name=file; filename=x.bin; filename*=UTF-8''%C3%A9t%C3%A9.wav")).filename).toBe('été.wav');
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="f"; filename="%22q%22.wav"')).filename).toBe('"q".wav');
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="language"')).filename).toBeUndefined();
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="x"\r\nContent-Transfer-Encoding: BASE64')).transferEncoding).toBe('base64');
    expect(parsePartHeaders(Buffer.from('Content-Disposition: form-data; name="clip"; filename="Grüße.wav"')).filename).toBe('Grüße.wav');
  });
});
