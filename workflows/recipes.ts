/** Which workflow runs which recipe; the API starts jobs through this table. */
import type { RecipeName } from './model';

export const RECIPE_WORKFLOWS: Record<RecipeName, string> = {
  'enhance-audio': 'enhanceAudioJob',
  tts: 'ttsJob',
  transcribe: 'transcribeJob',
  probe: 'probeJob',
  summarize: 'summarizeJob',
  analyze: 'analyzeJob',
  generate: 'generateJob',
  translate: 'translateJob',
  recipe: 'recipeJob',
  chat: 'chatJob',
  search: 'searchJob',
  embed: 'embedJob',
};
