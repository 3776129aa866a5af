/**
 * What one multipart part's header block says: its field name, file name (if it is a file) and
 * declared type. Header blocks are bounded by the tokenizer, so parsing them is cheap.
 */

export interface PartHeaders {
  /** The form field name (`name=` of Content-Disposition); undefined when absent. */
  name?: string;
  /** Present (maybe empty) when the part is a file: `filename=` or RFC 5987 `filename*=`. */
  filename?: string;
  contentType?: string;
  /** Content-Transfer-Encoding, lower-cased (deprecated by RFC 7578; only identity encodings are accepted). */
  transferEncoding?: string;
}

/**
 * `; key=value` parameters of a header value, keys lower-cased. Quoted strings as the WHATWG form
 * encoding writes them (what browsers, undici and Python's urllib3 send): `"` is percent-encoded
 * inside, and a backslash is a literal character (old browsers send `C:\path\clip.wav`), not an escape.
 */
function parameters(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*("[^"]*"|[^;]*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const key = m[1].toLowerCase();
    let v = m[2].trim();
    if (v.startsWith('"')) v = v.slice(1, -1);
    if (!params.has(key)) params.set(key, v);
  }
  return params;
}

/** RFC 5987 `UTF-8''percent%20encoded`; undefined when it cannot be decoded. */
function extValue(v: string): string | undefined {
  const m = /^([A-Za-z0-9_-]+)'[^']*'(.*)$/.exec(v);
  if (!m) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < m[2].length; i++) {
    const hex = m[2][i] === '%' ? /^[0-9A-Fa-f]{2}$/.exec(m[2].slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(m[2].charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString(m[1].toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
}

export function parsePartHeaders(raw: Buffer): PartHeaders {
  const out: PartHeaders = {};
  // Browsers send file names as raw UTF-8 inside the quoted string.
  for (const line of raw.toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === 'content-disposition') {
      const params = parameters(value.slice(value.indexOf(';') < 0 ? value.length : value.indexOf(';')));
      out.name = params.get('name');
      const ext = params.has('filename*') ? extValue(params.get('filename*')!) : undefined;
      // Browsers percent-encode a double quote in the quoted file name (WHATWG HTML form encoding).
      const plain = params.get('filename')?.replace(/%22/g, '"');
      out.filename = ext ?? plain;
    } else if (field === 'content-type') {
      out.contentType = value;
    } else if (field === 'content-transfer-encoding') {
      out.transferEncoding = value.toLowerCase();
    }
  }
  return out;
}
