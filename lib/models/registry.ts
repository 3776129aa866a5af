import fs from 'node:fs';
import path from 'node:path';
import { TRANSCRIPTION_MODELS, type ModelDescriptor } from '../catalog/models';

/**
 * Maps model ids to files on disk. A model counts as installed only when its manifest is present
 * (the installer writes it last, after checksums pass), so a half-copied model is never offered.
 */
export class ModelRegistry {
  constructor(private readonly modelsDir: string) {}

  whisperDir(id: string): string {
    return path.join(this.modelsDir, 'whisper', id);
  }

  isInstalled(id: string): boolean {
    return fs.existsSync(path.join(this.whisperDir(id), 'manifest.json'));
  }

  transcriptionModels(): Array<ModelDescriptor & { installed: boolean }> {
    return TRANSCRIPTION_MODELS.map((m) => ({ ...m, installed: this.isInstalled(m.id) }));
  }
}
