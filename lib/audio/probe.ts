import fsp from 'node:fs/promises';
import { MediaError } from './errors';
import { onProgressSeconds, runTool, summarizeStderr } from './ffmpeg';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

export interface MediaInfo {
  /** Seconds of audio as the container declares it (the longest audio stream, else the format); an estimate. */
  duration: number;
  container: string;
  sizeBytes: number;
  audio: { codec: string; sampleRate: number; channels: number };
  hasVideo: boolean;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
}

/** Audio length from packet timestamps by remuxing to nowhere (no decoding: fast, but trusts the packets). */
async function remuxedDuration(bin: string, file: string, signal?: AbortSignal): Promise<number | undefined> {
  let last: number | undefined;
  const res = await runTool(bin, ['-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-'], {
    signal,
    collectStdout: false,
    onStdoutLine: onProgressSeconds((s) => (last = s)),
  });
  return res.code === 0 && last && last > 0 ? last : undefined;
}

export interface MeasureOptions {
  signal?: AbortSignal;
  /** Stop decoding once this many seconds are counted (the caller only needs to know "more than this"). */
  stopAfterSeconds?: number;
  /** Seconds decoded so far, as ffmpeg reports them (about twice a second). */
  onProgress?: (seconds: number) => void;
}

/**
 * Seconds of audio the first audio stream really decodes to: what transcription and enhancement
 * will process, so what billing must count. Container metadata (a Matroska Duration element, an
 * MP3 Xing header, a bitrate estimate) is written by whoever made the file and can say anything.
 * `asetpts=N/SR/TB` restamps every frame from the running sample count, so packet timestamps
 * cannot lie either; the null muxer keeps this at a few hundred times real time.
 */
export async function measureDecodedAudio(bin: string, file: string, opts: MeasureOptions = {}): Promise<number> {
  let last = 0;
  const limit = opts.stopAfterSeconds !== undefined ? ['-t', String(opts.stopAfterSeconds)] : [];
  const res = await runTool(
    bin,
    ['-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-af', 'asetpts=N/SR/TB', ...limit, '-f', 'null', '-progress', 'pipe:1', '-'],
    {
      signal: opts.signal,
      collectStdout: false,
      onStdoutLine: onProgressSeconds((s) => {
        last = Math.max(last, s);
        opts.onProgress?.(last);
      }),
    },
  );
  if (res.code === null) throw new Error(`ffmpeg was stopped (${res.signal ?? 'signal'}) while measuring the audio`); // ours: retry
  if (res.code !== 0) throw new MediaError('corrupt_media', `The audio could not be decoded (${summarizeStderr(res.stderr, file)}).`);
  if (!(last > 0)) throw new MediaError('corrupt_media', 'The file decoded to no audio samples; it may be truncated or corrupt.');
  return last;
}

/** Reads container and stream facts with ffprobe; rejects what cannot be transcribed with a typed MediaError. */
export async function probeMedia(tools: MediaTools, file: string, signal?: AbortSignal): Promise<MediaInfo> {
  const { size } = await fsp.stat(file);
  if (size === 0) throw new MediaError('empty_file', 'The uploaded file is empty.');
  const res = await runTool(
    tools.ffprobe,
    ['-v', 'warning', '-print_format', 'json', '-show_format', '-show_streams', file],
    { signal },
  );
  if (res.code !== 0) {
    throw new MediaError('not_media', `The file is not a readable audio or video file (${summarizeStderr(res.stderr, file)}).`);
  }
  const parsed = JSON.parse(res.stdout.toString('utf8') || '{}') as {
    format?: { format_name?: string; duration?: string };
    streams?: FfprobeStream[];
  };
  const streams = parsed.streams ?? [];
  const audio = streams.filter((s) => s.codec_type === 'audio');
  const hasVideo = streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!parsed.format?.format_name) throw new MediaError('not_media', 'The file is not a recognised audio or video container.');
  if (audio.length === 0) {
    throw new MediaError(
      'no_audio_stream',
      hasVideo ? 'The video has no audio track.' : 'The file contains no audio stream.',
    );
  }
  const durations = audio.map((s) => Number(s.duration)).filter((d) => Number.isFinite(d) && d > 0);
  let duration = durations.length ? Math.max(...durations) : Number(parsed.format.duration);
  // Raw ADTS/VBR streams without an index only get a bitrate estimate. This stays an estimate
  // either way: billing counts what measureDecodedAudio decodes, not what the container says.
  if (/Estimating duration from bitrate/i.test(res.stderr) || !Number.isFinite(duration)) {
    duration = (await remuxedDuration(tools.ffmpeg, file, signal)) ?? duration;
  }
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new MediaError('corrupt_media', 'The audio has no measurable duration; the file may be truncated or corrupt.');
  }
  const a = audio[0];
  return {
    duration,
    container: parsed.format.format_name,
    sizeBytes: size,
    audio: { codec: a.codec_name ?? 'unknown', sampleRate: Number(a.sample_rate ?? 0), channels: a.channels ?? 0 },
    hasVideo,
  };
}
