/** The transcript JSON exactly as the public contract shapes it (POST /v1/transcribe, json format). */
export interface Word {
  word: string;
  start: number;
  end: number;
  probability?: number;
  speaker?: string;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  speaker?: string;
  confidence: number;
  words: Word[];
}

export interface Transcript {
  text: string;
  language: string;
  /** Language-detection probability when the language was detected (language=auto). */
  language_probability?: number;
  duration: number;
  segments: Segment[];
  speakers: string[];
  /** Which model actually ran (never silently substituted). */
  model: string;
}
