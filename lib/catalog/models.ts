/** Transcription models the contract offers. Whether each is installed is decided by the model registry. */
export interface ModelDescriptor {
  id: string;
  name: string;
  languages: number;
  speed: 'very_fast' | 'fast' | 'standard';
}

export const TRANSCRIPTION_MODELS: readonly ModelDescriptor[] = [
  { id: 'large-v3-turbo', name: 'Whisper Large V3 Turbo', languages: 99, speed: 'fast' },
  { id: 'large-v3', name: 'Whisper Large V3', languages: 99, speed: 'standard' },
  { id: 'medium', name: 'Whisper Medium', languages: 99, speed: 'fast' },
  { id: 'small', name: 'Whisper Small', languages: 99, speed: 'very_fast' },
];

export const DEFAULT_TRANSCRIPTION_MODEL = 'large-v3-turbo';
