/** The 16 input formats the public contract accepts (by content; their usual file extensions). */
export const SUPPORTED_EXTENSIONS = [
  'mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'opus', 'wma',
  'mp4', 'webm', 'mkv', 'avi', 'mov', 'wmv', 'mpg', 'mpeg',
] as const;

export type SupportedExtension = (typeof SUPPORTED_EXTENSIONS)[number];

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(filename.trim());
  return m ? m[1].toLowerCase() : '';
}

export function isSupportedFilename(filename: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extensionOf(filename));
}

/**
 * The extension an upload is stored under: its name's when that is a known format (a hint that
 * helps ffprobe with raw streams), else `bin`. The format itself is decided by the content (probe),
 * never by the name: browsers send Blobs as `blob`.
 */
export function storageExtension(filename: string): string {
  const ext = extensionOf(filename);
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(ext) ? ext : 'bin';
}
