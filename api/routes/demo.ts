import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { notFound } from '../errors';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

/** Files of the /demo page (api/public/), read once: static, small, and served without authentication. */
const PAGE = { file: 'demo.html', type: 'text/html; charset=utf-8' };
const ASSETS: Record<string, { file: string; type: string }> = {
  'demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  'demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
};
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self'";

/**
 * GET /demo: a page that streams the microphone to WS /v1/stream and shows partial and final text.
 * Everything it needs comes from this server (the CSP forbids anything else); the API key, if any,
 * is typed into the page (or given as ?token=) and sent only on the WebSocket URL.
 */
export function demoRoutes(): Router {
  const router = new Router();
  const dir = path.join(__dirname, '..', 'public');
  const read = (f: { file: string; type: string }) => ({ type: f.type, body: fs.readFileSync(path.join(dir, f.file)) });
  const page = read(PAGE);
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([name, f]) => [name, read(f)]));
  const serve = (ctx: Context, f: { type: string; body: Buffer }) => {
    ctx.type = f.type;
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = f.body;
  };
  mount(router, SPECS.demo, (ctx) => serve(ctx, page));
  mount(router, SPECS.demoAsset, (ctx, { params }) => {
    const f = Object.hasOwn(assets, params.asset) ? assets[params.asset] : undefined;
    if (!f) throw notFound('Not found.');
    serve(ctx, f);
  });
  return router;
}
