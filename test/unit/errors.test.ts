import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { HttpError, toHttpError } from '../../api/errors';
import { MediaError } from '../../lib/audio';

describe('error to HTTP mapping', () => {
  it('keeps explicit HTTP errors', () => {
    const r = toHttpError(new HttpError(413, 'too big'));
    expect(r).toEqual({ status: 413, body: { error: 'too big' }, headers: {} });
  });

  it('maps media errors to 400 with their code', () => {
    const r = toHttpError(new MediaError('no_audio_stream', 'The video has no audio track.'));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'The video has no audio track.', code: 'no_audio_stream' });
  });

  it('maps a failed workflow by its innermost typed failure', () => {
    const inner = ApplicationFailure.create({ type: 'InvalidMedia', message: 'not audio', details: [{ code: 'not_media' }] });
    const err = new WorkflowFailedError('failed', inner, 'NON_RETRYABLE_FAILURE');
    expect(toHttpError(err)).toMatchObject({ status: 400, body: { error: 'not audio', type: 'InvalidMedia', code: 'not_media' } });
  });

  it('maps cancelled jobs to 409 and unknown failures to 500 without leaking internals', () => {
    expect(toHttpError(new WorkflowFailedError('x', new CancelledFailure('c'), 'NON_RETRYABLE_FAILURE')).status).toBe(409);
    const r = toHttpError(new Error('secret stack detail'));
    expect(r).toEqual({ status: 500, body: { error: 'Internal server error.' }, headers: {} });
  });

  it('maps an unreachable Temporal to 503 with Retry-After', () => {
    const r = toHttpError(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233'));
    expect(r.status).toBe(503);
    expect(r.headers['Retry-After']).toBe('5');
  });
});
