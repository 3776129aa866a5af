/** Enumerations the documents share with the code that enforces them (one list each). */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
