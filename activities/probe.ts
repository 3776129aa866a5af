import { Context } from '@temporalio/activity';
import { probeMedia } from '../lib/audio';
import type { MediaSummary } from '../workflows/model';
import type { ActivityDeps } from './deps';
import { withTypedFailures } from './failures';

/** ffprobe the uploaded object: duration (what billing counts) and whether there is audio at all. */
export function createProbeActivity({ config, store }: ActivityDeps) {
  return async function probe(input: { key: string }): Promise<MediaSummary> {
    const signal = Context.current().cancellationSignal;
    return withTypedFailures(() => store.withLocalFile(input.key, (file) => probeMedia(config.media, file, signal)));
  };
}
