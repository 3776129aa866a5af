import { cleanFilename, MAX_FILENAME_BYTES } from '../../api/filename';
import { HttpError } from '../../api/errors';
import { storageExtension } from '../../lib/audio';

describe('cleanFilename', () => {
  it('keeps ordinary names, Unicode included', () => {
    expect(cleanFilename('meeting.mp3')).toBe('meeting.mp3');
    expect(cleanFilename('Grüße – 会议.wav')).toBe('Grüße – 会议.wav');
    expect(cleanFilename('blob')).toBe('blob');
  });

  it('drops path components, control characters and bidi overrides', () => {
    expect(cleanFilename('C:\\Users\\me\\clip.wav')).toBe('clip.wav');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a\u0000b\r\nc\u0007\u009b.wav')).toBe('abc.wav');
    expect(cleanFilename('evil\u202egnp.exe')).toBe('evilgnp.exe');
    expect(cleanFilename('')).toBe('upload');
    expect(cleanFilename(undefined)).toBe('upload');
    expect(cleanFilename('dir/')).toBe('upload');
    expect(cleanFilename('..')).toBe('upload');
  });

  it('allows 255 bytes of UTF-8 and answers 400 above, without echoing the name', () => {
    expect(cleanFilename('a'.repeat(251) + '.wav')).toHaveLength(MAX_FILENAME_BYTES);
    const long = 'é'.repeat(130); // 260 bytes in 130 characters
    let err: unknown;
    try {
      cleanFilename(long);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    expect((err as HttpError).extra.code).toBe('filename_too_long');
    expect((err as HttpError).message).toMatch(/260 bytes long; at most 255 bytes/);
    expect((err as HttpError).message).not.toContain('é');
  });
});

describe('storageExtension', () => {
  it("keeps a known format's extension as a hint and stores anything else as .bin (content decides)", () => {
    expect(storageExtension('Meeting.MP3')).toBe('mp3');
    expect(storageExtension('clip.webm')).toBe('webm');
    expect(storageExtension('blob')).toBe('bin');
    expect(storageExtension('clip.bin')).toBe('bin');
    expect(storageExtension('notes.txt')).toBe('bin');
  });
});
