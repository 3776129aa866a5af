/** How much speech a reference clip holds, by the Silero VAD (windows at or above 0.5 probability). */
import { VAD_SAMPLE_RATE, VAD_WINDOW, type SileroVad } from '../vad/silero';

export const SPEECH_THRESHOLD = 0.5;

export async function speechSeconds(vad: SileroVad, pcm: AsyncIterable<Float32Array>): Promise<number> {
  const stream = vad.stream();
  let speech = 0;
  for await (const chunk of pcm) for (const p of await stream.push(chunk)) if (p >= SPEECH_THRESHOLD) speech++;
  return (speech * VAD_WINDOW) / VAD_SAMPLE_RATE;
}
