/** Every workflow the control worker registers. Workflow type names are the function names. */
export { analyzeJob } from './analyze';
export { chatJob } from './chat';
export { embedJob } from './embed';
export { enhanceAudioJob } from './enhance-audio';
export { generateJob } from './generate';
export { probeJob } from './probe';
export { recipeJob } from './recipe';
export { retentionSweep } from './retention';
export { streamTranscriptJob } from './stream-transcript';
export { searchJob } from './search';
export { summarizeJob } from './summarize';
export { transcribeJob } from './transcribe';
export { translateJob } from './translate';
export { ttsJob } from './tts';
export { webhookDeliveryJob } from './webhook';
