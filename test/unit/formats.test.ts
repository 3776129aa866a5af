import { extensionOf, isSupportedFilename, SUPPORTED_EXTENSIONS } from '../../lib/audio';
import { assertValidKey } from '../../lib/storage';

describe('formats and keys', () => {
  it('accepts exactly the 16 contract formats, case-insensitively', () => {
    expect(SUPPORTED_EXTENSIONS).toHaveLength(16);
    expect(isSupportedFilename('Meeting.MP3')).toBe(true);
    expect(isSupportedFilename('clip.mpeg')).toBe(true);
    expect(isSupportedFilename('notes.txt')).toBe(false);
    expect(isSupportedFilename('noextension')).toBe(false);
    expect(extensionOf('a.b.WebM')).toBe('webm');
  });

  it('rejects object keys that could escape the store', () => {
    expect(() => assertValidKey('uploads/abc/source.mp3')).not.toThrow();
    for (const bad of ['../etc/passwd', '/abs', 'a//b', 'a/./b', 'sp ace', '']) expect(() => assertValidKey(bad)).toThrow();
  });
});
