/**
 * espeak-ng's phonemizer in-process: libespeak-ng.so.1 (the library Debian's espeak-ng program links)
 * through koffi, espeak_TextToPhonemes with IPA output, one clause at a time, as Piper's runtime
 * calls it in-process. Why: spawning the program cost ~42 ms per text on this machine (RTF +0.016 on
 * the bench's one-sentence texts, most of the gap to Piper's own runtime); a clause here takes ~0.1 ms.
 * Its IPA equals the program's `-q --ipa` output for the same clause (the program prints the same
 * translator's phoneme string while it speaks; test/tts/piper-frontend.test.ts compares them).
 *
 * The library keeps one global state (its voice among it), so calls are synchronous and set the
 * voice when it changes; they are short and never overlap on Node's one JS thread.
 */
import koffi from 'koffi';
import type { CFunction } from '../native/c-function';

const LIBRARY = 'libespeak-ng.so.1';
/** espeak_AUDIO_OUTPUT: no audio device, nothing played. */
const AUDIO_OUTPUT_SYNCHRONOUS = 2;
const espeakCHARS_UTF8 = 1;
/** phonememode bit 1: IPA (bits 8–23, the tie character, left 0 as the program's --ipa does). */
const espeakPHONEMES_IPA = 0x02;

interface Espeak {
  setVoice: CFunction;
  textToPhonemes: CFunction;
  voice?: string;
}

let loaded: Espeak | null | undefined;

/** The in-process phonemizer, or null when the library cannot be loaded or initialised here. */
function espeak(): Espeak | null {
  if (loaded !== undefined) return loaded;
  try {
    const so = koffi.load(LIBRARY);
    const init = so.func('int espeak_Initialize(int output, int buflength, const char *path, int options)');
    // NULL path: the library's own data folder, the one the program reads.
    if (init(AUDIO_OUTPUT_SYNCHRONOUS, 0, null, 0) <= 0) throw new Error('espeak_Initialize failed');
    loaded = {
      setVoice: so.func('int espeak_SetVoiceByName(const char *name)'),
      textToPhonemes: so.func('const char *espeak_TextToPhonemes(_Inout_ void **textptr, int textmode, int phonememode)'),
    };
  } catch {
    loaded = null;
  }
  return loaded;
}

export const espeakLibraryAvailable = (): boolean => espeak() !== null;

/**
 * IPA of one clause (no terminator inside), the clauses espeak itself cuts it into joined by a space,
 * as the program's lines for one blank-line-separated input are. '' when nothing is speakable.
 */
export function clauseIpa(text: string, voice: string): string {
  const e = espeak();
  if (!e) throw new Error(`${LIBRARY} is not loadable`);
  if (e.voice !== voice) {
    if (e.setVoice(voice) !== 0) throw new Error(`espeak-ng has no voice '${voice}'`);
    e.voice = voice;
  }
  // The library advances the pointer past each clause it translates and sets it to NULL at the end.
  const buf = Buffer.from(`${text}\0`, 'utf8');
  const box: unknown[] = [buf];
  const parts: string[] = [];
  while (box[0]) {
    const p = (e.textToPhonemes(box, espeakCHARS_UTF8, espeakPHONEMES_IPA) as string | null)?.trim();
    if (p) parts.push(p);
  }
  buf.fill(0); // keeps `buf` alive (and so the memory the pointer walks) until the loop is done
  return parts.join(' ');
}
