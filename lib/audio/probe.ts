import fsp from 'node:fs/promises';
import { MediaError } from './errors';
import { onProgressSeconds, runTool, summarizeStderr } from './ffmpeg';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

export interface MediaInfo {
  /** Seconds of audio (the longest audio stream, else the container duration). */
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

/** Exact audio length by remuxing packets to nowhere (no decoding: fast even for hours of audio). */
async function measureDuration(bin: string, file: string, signal?: AbortSignal): Promise<number | undefined> {
  let last: number | undefined;
  const res = await runTool(bin, ['-nostdin', '-v', 'error', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-'], {
    signal,
    collectStdout: false,
    onStdoutLine: onProgressSeconds((s) => (last = s)),
  });
  return res.code === 0 && last && last > 0 ? last : undefined;
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
  // Raw ADTS/VBR streams without an index only get a bitrate estimate; billing needs the real length.
  if (/Estimating duration from bitrate/i.test(res.stderr) || !Number.isFinite(duration)) {
    duration = (await measureDuration(tools.ffmpeg, file, signal)) ?? duration;
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
