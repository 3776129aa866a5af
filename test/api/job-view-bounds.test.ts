/**
 * A job view never hangs on a missing worker: the progress query waits for a workflow worker, and
 * with none polling it used to hold GET /v1/jobs/:id for the gRPC default (30 s and more).
 */
import { testConfig } from '../helpers/config';
import { json } from '../helpers/http';
import { startStack, type Stack } from '../helpers/stack';
import { paidKeyOn, postJson } from '../helpers/text-api';

let stack: Stack;

beforeAll(async () => {
  // No workers at all: the job stays where a dead or not-yet-started deployment leaves it.
  stack = await startStack(testConfig({}), { api: true, roles: [] });
});
afterAll(() => stack?.stop());

it('GET /v1/jobs/:id of a job no worker has picked up answers queued within the query bound', async () => {
  const { headers } = await paidKeyOn(stack, 'view-bounds', 10);
  const res = await postJson(stack, '/v1/summarize', { ...headers, Prefer: 'respond-async' }, { text: 'A short text to summarize for the test.' });
  expect(res.status).toBe(202);
  const { id } = (await json(res)) as { id: string };
  const started = Date.now();
  const view = await fetch(`${stack.baseUrl}/v1/jobs/${id}`, { headers });
  const took = Date.now() - started;
  expect(view.status).toBe(200);
  expect(((await json(view)) as { status: string }).status).toBe('queued');
  expect(took).toBeLessThan(20_000); // 10 s bound plus describe; unbounded it took 30 s
  await stack.client.workflow.getHandle(id).terminate('test over');
}, 90_000);
