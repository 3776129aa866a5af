/** The JSON bodies of the voxflow API, typed. */

export interface Word { word: string; start: number; end: number; probability?: number; speaker?: string }
export interface Segment { start: number; end: number; text: string; confidence: number; words: Word[]; speaker?: string }
export interface Transcript {
  text: string;
  language: string;
  language_probability?: number;
  duration: number;
  segments: Segment[];
  speakers: string[];
  /** The model that actually ran. */
  model: string;
}
export type TranscriptFormat = 'json' | 'txt' | 'srt' | 'vtt';

export interface Summary { summary: string; style: string; model: string }
export type SummaryStyle = 'brief' | 'detailed' | 'action_items' | 'bullet_points';
export type AnalysisType = 'sentiment' | 'topics' | 'entities' | 'action_items' | 'questions' | 'pii_redact';
export type GenerationType =
  | 'blog_post' | 'social_media' | 'newsletter' | 'key_quotes' | 'show_notes' | 'meeting_notes' | 'study_guide'
  | 'flashcards' | 'quiz' | 'chapter_markers';
export interface Translation { translated_text: string; source_language?: string; target_language?: string; model?: string }
export interface BatchTranslation { translations: Translation[] }
export interface Embeddings { embeddings: number[][]; dimensions: number }
export interface ChatAnswer { answer: string; sources: Array<{ segment_order: number; text: string; score: number }>; session_id?: string }

export interface Model { id: string; name: string; type?: string; installed?: boolean; languages?: number; speed?: string; [k: string]: unknown }
export interface ModelList { models: Model[]; [k: string]: unknown }
export interface LanguageList { languages: Array<{ code: string; name: string }> }
export interface Health { status: string; gpu_available: boolean; gpu_name: string | null; gpu_memory_mb: number | null; [k: string]: unknown }

export interface Account { id: string; plan: string; credits: number; email: string | null; preferences: Record<string, unknown>; created_at: string }
export interface ApiKey { id: string; name: string; key?: string; [k: string]: unknown }
export interface TranscriptList {
  jobs: Array<{ id: string; status: string; created_at: string | null; filename?: string; language?: string }>;
  next_page_token: string | null;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export interface JobStep {
  name: string;
  status: string;
  /** 0..1 within the step. */
  progress: number;
  started_at?: string | null;
  completed_at?: string | null;
  attempt?: number;
  error?: { type: string; message: string };
  credits?: { reserved: number; charged?: number; refunded?: number };
}
/** `GET /v1/jobs/:id` (and the 202 of an asynchronous submission, which has fewer fields). */
export interface Job {
  id: string;
  object?: 'job';
  recipe?: string;
  status: JobStatus;
  /** 0..1 over all steps. */
  progress?: number;
  steps?: JobStep[];
  created_at?: string | null;
  completed_at?: string | null;
  error?: { type: string; message: string; code?: string } | null;
  result?: unknown;
  links?: { self: string; result?: string; temporal_ui?: string };
  status_url?: string;
}
export type ProgressCallback = (job: Job) => void;
