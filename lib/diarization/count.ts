/**
 * Speaker labels for the embedding windows. The count is given, or estimated by `countRule`:
 *  - 'threshold' (default): the average-linkage dendrogram cut at a similarity threshold, tiny clusters
 *    folded into their nearest. On the telephone tuning group of the evaluation set (8 kHz μ-law/GSM,
 *    1-6 s turns, 1-5 voices) the count is right for thresholds 0.48-0.57, on the clean 16 kHz cases for
 *    0.40-0.53: the old 0.45 sat below the telephone range (issue #10: three voices found as two), 0.5
 *    sits inside both.
 *  - 'eigengap': the largest gap in the spectrum of the pruned affinity graph (count-eigengap.ts). As
 *    good on the tuning group (keep 0.25-0.35), but a fixed kept share cannot separate speakers who each
 *    hold much less than that share of the windows: it found 4 of 5 voices on a validation call.
 * With the count given (or from the eigengap) the windows are clustered to that many speakers, cutting
 * where that many clusters are not strays (a lone window when the count is given, under
 * minClusterShare of the windows from the eigengap) and folding the strays into their nearest speaker,
 * so stray windows never take a speaker's place.
 */
import { absorbSmallClusters, clusterEmbeddings } from './cluster';
import { eigengapCount } from './count-eigengap';

const MIN_SPECTRAL_WINDOWS = 12;

export interface CountSettings {
  countRule: 'eigengap' | 'threshold';
  /** 'eigengap': share of each window's affinities kept in the graph. */
  eigengapKeep: number;
  /** 'eigengap': most speakers it will report. */
  maxSpeakers: number;
  /** 'threshold': average cosine similarity below which two clusters are different speakers. */
  threshold: number;
  /** Clusters smaller than this share of windows are not speakers: they join their nearest. */
  minClusterShare: number;
}

export function speakerLabels(embeddings: Float32Array[], speakers: number, s: CountSettings): number[] {
  const minSize = Math.max(2, Math.ceil(s.minClusterShare * embeddings.length));
  let k = speakers;
  // The spectrum of a handful of windows (a few seconds of speech) says little: the threshold decides.
  if (k <= 0 && (s.countRule === 'threshold' || embeddings.length < MIN_SPECTRAL_WINDOWS)) {
    return absorbSmallClusters(embeddings, clusterEmbeddings(embeddings, { threshold: s.threshold }), minSize);
  }
  // A given count is the caller's word: only lone windows are strays, so a speaker who says two words in
  // a long call still gets a place (a share of the windows would give it away). Measured on the tuning
  // group, singletons are where the gain is: DER 11.8% -> 8.9% for any share from 0.005 to 0.05.
  const strays = k > 0 ? 2 : minSize;
  if (k <= 0) k = eigengapCount(embeddings, { keep: s.eigengapKeep, maxSpeakers: s.maxSpeakers }).count;
  if (k <= 0) return embeddings.map(() => 0);
  return absorbSmallClusters(embeddings, clusterEmbeddings(embeddings, { threshold: s.threshold, speakers: k, minSize: strays }), strays);
}
