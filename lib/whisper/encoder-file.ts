import fs from 'node:fs';
import path from 'node:path';

/** What scripts/models/whisper/quantize_encoder.py writes last beside encoder_int8.onnx. */
interface Int8EncoderInfo {
  file: string;
  sha256: string;
  source: { file: string; sha256: string };
}

export const INT8_ENCODER = 'encoder_int8.onnx';
const INT8_ENCODER_INFO = 'encoder_int8.json';

/**
 * The int8 encoder installed in `dir` for the model whose fp32 encoder has sha256 `encoderSha256`, or why not.
 * An int8 graph derived from another build of the weights (a model reinstalled after the encoder was
 * quantized) does not count: it would pair one model's encoder with another's decoder.
 */
export function int8EncoderStatus(dir: string, encoderSha256: string | undefined): { installed: true } | { installed: false; reason: string } {
  const infoFile = path.join(dir, INT8_ENCODER_INFO);
  if (!fs.existsSync(infoFile) || !fs.existsSync(path.join(dir, INT8_ENCODER))) return { installed: false, reason: `${INT8_ENCODER} is not installed in ${dir}` };
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as Int8EncoderInfo;
  if (encoderSha256 && info.source?.sha256 !== encoderSha256) {
    return { installed: false, reason: `${infoFile} was derived from encoder.onnx ${info.source?.sha256?.slice(0, 12)}, the installed one is ${encoderSha256.slice(0, 12)}` };
  }
  return { installed: true };
}

/**
 * The encoder graph to load. fp32 unless int8 is asked for: the int8 encoder saves ~50 MB loaded and ~70 MB
 * of peak, but cost 1.9 WER points on the bench sets (README, #10), so it is a memory option, not the int8
 * configuration's default. Asking for it without it installed is an error that names the installer.
 */
export function encoderFile(dir: string, encoderSha256: string | undefined, encoder: 'fp32' | 'int8' = 'fp32'): string {
  if (encoder === 'fp32') return 'encoder.onnx';
  const status = int8EncoderStatus(dir, encoderSha256);
  if (!status.installed) throw new Error(`${status.reason}: run scripts/models/install-whisper-int8-encoder.sh`);
  return INT8_ENCODER;
}
