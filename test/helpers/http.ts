import fs from 'node:fs';
import path from 'node:path';

/** Response bodies are checked field by field in tests; `any` keeps those checks readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json();

/** A multipart body as clients send it: the file under `name` (default `file`) plus text fields. */
export function form(file: string | null, fields: Record<string, string> = {}, name = 'file'): FormData {
  const fd = new FormData();
  if (file) fd.append(name, new Blob([fs.readFileSync(file)]), path.basename(file));
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}
