/**
 * An uploaded file's name is user input that travels far: workflow input and memo, transcript
 * lists, download names, DOCX/PDF titles. It is made safe once, at upload: bounded in bytes and
 * free of path components and control characters.
 */
import { badRequest } from './errors';

/** The common file-system limit (ext4, APFS, NTFS all allow 255 bytes or characters). */
export const MAX_FILENAME_BYTES = 255;

/** C0/C1 controls and DEL, plus bidirectional overrides that make a name display as another. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The name to keep for an upload; a 400 when it is longer than MAX_FILENAME_BYTES. */
export function cleanFilename(raw: string | undefined, fallback = 'upload'): string {
  // Old browsers send a client path (C:\Users\…\clip.wav): only its last component names the file.
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const name = base.replace(UNSAFE, '').normalize('NFC').trim();
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_FILENAME_BYTES) {
    throw badRequest(`The file name is ${bytes} bytes long; at most ${MAX_FILENAME_BYTES} bytes (UTF-8) are allowed. Rename the file and send it again.`, {
      code: 'filename_too_long',
    });
  }
  return name === '' || name === '.' || name === '..' ? fallback : name;
}
