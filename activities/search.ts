/**
 * The search step (gpu queue): embeds the query and scores every segment of every transcript in the
 * request exactly (cosine of L2-normalized vectors), keeping the best `limit` across all of them.
 * Vectors come from storage (the embed step's), or are made now for a transcript from before it
 * (first use). Vector files are read a few at a time; only the hits' transcripts are read, for
 * their text. The result document goes to storage; the workflow gets its key and counts.
 */
import { text as readText } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { workerEmbedder } from '../lib/rag/embedder';
import { transcriptKeyOf, vectorsKey } from '../lib/rag/keys';
import { roundScore } from '../lib/rag/chat-prompt';
import { scoreRows, TopK } from '../lib/rag/retrieval';
import type { SearchHit, SearchRequestDocument, SearchResultDocument } from '../lib/rag/search-documents';
import { readTranscript, vectorsByKey } from '../lib/rag/transcript-vectors';
import type { VectorFileHeader } from '../lib/rag/vector-file';
import type { StepHeartbeat } from '../workflows/model';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { withTypedFailures } from './failures';

export interface SearchStepInput {
  requestKey: string;
  outputKey: string;
}

export interface SearchStepOutput extends StoredOutput {
  results: number;
  searched: number;
  vectorsMade: number;
  embeddingModel: string;
}

/** Vector files read at once (storage round trips overlap; scoring is synchronous anyway). */
const READ_CONCURRENCY = 8;

export function createSearchActivity({ store, engines }: Pick<ActivityDeps, 'store' | 'engines'>) {
  return async function searchTranscripts(input: SearchStepInput): Promise<SearchStepOutput> {
    const ctx = Context.current();
    return withTypedFailures(async () => {
      const started = Date.now();
      ctx.heartbeat({ progress: 0 } satisfies StepHeartbeat);
      const req = JSON.parse(await readText(await store.get(input.requestKey))) as SearchRequestDocument;
      const embedder = workerEmbedder(engines);
      const emb = await embedder();
      const { vectors: [query] } = await emb.embed([req.query]);
      const best = new TopK<{ id: string; unit: VectorFileHeader['units'][number] }>(req.limit);
      let next = 0;
      let done = 0;
      let made = 0;
      let segments = 0;
      const io = { store, embedder };
      const worker = async () => {
        while (next < req.transcriptIds.length) {
          const id = req.transcriptIds[next++];
          const file = await vectorsByKey(io, transcriptKeyOf(id), vectorsKey(id));
          if (file) {
            if (file.made) made++;
            segments += file.header.count;
            const scores = scoreRows(file.matrix, file.header.dimensions, [query]);
            for (let r = 0; r < scores.length; r++) best.offer(scores[r], { id, unit: file.header.units[r] });
          }
          ctx.heartbeat({ progress: (0.9 * ++done) / req.transcriptIds.length } satisfies StepHeartbeat);
        }
      };
      const scanStart = Date.now();
      await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
      const scoreMs = Date.now() - scanStart;
      const hits = best.sorted();
      const texts = new Map<string, string[]>();
      for (const id of new Set(hits.map((h) => h.item.id))) texts.set(id, (await readTranscript(store, transcriptKeyOf(id))).segments.map((s) => s.text.trim()));
      const results: SearchHit[] = hits.map(({ score, item }) => ({
        transcript_id: item.id,
        segment_order: item.unit.order,
        start: item.unit.start,
        end: item.unit.end,
        text: texts.get(item.id)?.[item.unit.order] ?? '',
        score: roundScore(score),
      }));
      const doc: SearchResultDocument = { results, searched: req.transcriptIds.length, vectorsMade: made, segments, embeddingModel: emb.id, scoreMs, ms: Date.now() - started };
      const info = await store.put(input.outputKey, JSON.stringify(doc), { contentType: 'application/json' });
      ctx.heartbeat({ progress: 1 } satisfies StepHeartbeat);
      return { key: input.outputKey, contentType: 'application/json', sizeBytes: info.size, results: results.length, searched: doc.searched, vectorsMade: made, embeddingModel: emb.id };
    });
  };
}
