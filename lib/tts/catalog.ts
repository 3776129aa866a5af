/** Speech-synthesis voices the service knows; whether each is installed is decided by the model registry. */
export interface TtsVoiceDescriptor {
  id: string;
  name: string;
  type: 'tts';
  engine: 'piper-vits';
  languages: string[];
  sample_rate: number;
  /**
   * Whether the voice can speak in the voice of a `reference` clip. No zero-shot cloning model ships
   * in any registry package found so far, so every voice here is its own single speaker: false.
   */
  voice_cloning: false;
  speed: 'very_fast' | 'fast' | 'standard';
  install: string;
}

export const TTS_VOICES: readonly TtsVoiceDescriptor[] = [
  {
    id: 'en_US-joe-medium',
    name: 'Piper en_US joe (medium)',
    type: 'tts',
    engine: 'piper-vits',
    languages: ['en'],
    sample_rate: 22050,
    voice_cloning: false,
    speed: 'very_fast',
    install: 'scripts/models/install-tts.sh',
  },
];
