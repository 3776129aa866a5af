/** The 16 input formats the public contract accepts, by file extension. */
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
