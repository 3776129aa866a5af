/** The stored documents of a search: what the API hands the search step, and what the step answers. */

/** uploads/<id>/source.json of a search job: the query and the tenant's transcripts (ids, newest first). */
export interface SearchRequestDocument {
  query: string;
  limit: number;
  transcriptIds: string[];
}

export interface SearchHit {
  transcript_id: string;
  segment_order: number;
  start: number;
  end: number;
  text: string;
  score: number;
}

/** jobs/<id>/search.json */
export interface SearchResultDocument {
  results: SearchHit[];
  /** Transcripts searched, and those whose vectors this search made (first use). */
  searched: number;
  vectorsMade: number;
  /** Segments scored. */
  segments: number;
  embeddingModel: string;
  /** Wall time of the scan (vectors read, made where missing, scored), and of the whole step. */
  scoreMs: number;
  ms: number;
}
