/** Who spoke when: the diarization result, in seconds from the start of the audio. */
export interface SpeakerTurn {
  start: number;
  end: number;
  /** A label: the engine's cluster id, an RTTM speaker name, or "Speaker N" once merged. */
  speaker: string;
}
