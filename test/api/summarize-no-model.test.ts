/**
 * A worker without the configured LLM answers plainly: the summarize job fails at once (no
 * retries) with a message naming the installer, the API says so with the project's status for
 * a missing model, and the reserved credit is refunded.
 */
import { ApiKeys } from '../../lib/accounts/keys';
import { jobIdForIdempotencyKey } from '../../api/jobs/ids';
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { activityAttempts } from '../helpers/jobs';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const config = testConfig({ VOXFLOW_LLM_MODEL: 'qwen-not-installed', VOXFLOW_SYNC_WAIT_MS: '60000' });
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(config, { api: true });
});
afterAll(() => stack?.stop());

it('a missing LLM is reported as not installed, after one attempt, and the credit comes back', async () => {
  const account = await stack.ledger.createAccount({ tenant: `nomodel-${Math.random()}`, plan: 'paid', credits: 2 });
  const { key } = await new ApiKeys(stack.db).create(account.id, 'test');
  const res = await fetch(`${stack.baseUrl}/v1/summarize`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'no-model-1' },
    body: JSON.stringify({ text: 'Anna: I will write the report by Monday.' }),
  });
  const body = await json(res);
  expect(res.status).toBe(400);
  expect(body).toMatchObject({ type: 'ModelNotInstalled', error: expect.stringMatching(/'qwen-not-installed' is not installed.*install-llm\.sh/) });
  expect(await stack.ledger.balance(account.id)).toBe(2);
  const jobId = jobIdForIdempotencyKey(account.tenant, 'no-model-1');
  // Not retried: a missing model is not something a second attempt can fix.
  expect((await activityAttempts(stack.client, jobId)).summarize).toEqual([1]);
  expect(await stack.ledger.jobCharges(jobId)).toEqual([{ step: 'summarize', reserved: 1, settled: null, refunded: 1 }]);
});
