/**
 * GET /docs in headless Chromium (Debian's chromium, scripts/install-browser.sh; playwright-core):
 * Swagger UI renders the endpoint list from /openapi.json, nothing is fetched from another host,
 * and a screenshot of the rendered list is taken and checked (a PNG with the list in view).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { testConfig } from '../helpers/config';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(180_000);
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack(testConfig(), { api: true, roles: [] });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('the /docs page lists the endpoints, from local assets only', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
  const foreign: string[] = [];
  const failed: string[] = [];
  const origin = new URL(stack.baseUrl!).host;
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && new URL(r.url()).host !== origin) foreign.push(r.url());
  });
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.goto(`${stack.baseUrl}/docs`);
  await page.waitForSelector('.opblock-summary-path', { timeout: 120_000 });
  const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''));
  for (const p of ['/v1/transcribe', '/v1/audio/transcriptions', '/v1/audio/translations', '/v1/models', '/v1/jobs/{id}', '/api/v1/keys']) expect(paths).toContain(p);
  expect(await page.textContent('.info .title')).toContain('voxflow API');
  const shot = path.join(stack.config.dataDir, 'docs.png');
  await page.locator('.opblock-tag-section').first().screenshot({ path: shot });
  const png = fs.readFileSync(shot);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.length).toBeGreaterThan(5_000); // a rendered block of endpoints, not a blank box
  console.log(`/docs rendered ${paths.length} operations; screenshot ${shot} (${png.length} bytes)`);
  expect(foreign).toEqual([]);
  expect(failed).toEqual([]);
});
