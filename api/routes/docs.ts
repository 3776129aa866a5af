/**
 * GET /openapi.json (generated from the route specs) and GET /docs, the API reference rendered by
 * Swagger UI from the swagger-ui-dist package, served from node_modules: no asset comes from the
 * internet, so the page works on an offline, self-hosted install.
 */
import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { openApiDocument } from '../openapi/document';
import { notFound } from '../errors';
import { mount } from '../openapi/route';
import { SPECS } from '../openapi/specs';

const UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/** The only files the page needs (a fixed list: no path from the request reaches the file system). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });\n`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>voxflow API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

export function docsRoutes(): Router {
  const router = new Router();
  let doc: string | undefined; // the specs are static: built once, on first request
  mount(router, SPECS.openapi, (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = (doc ??= JSON.stringify(openApiDocument({ version: VERSION })));
  });
  mount(router, SPECS.docs, (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    // Relative asset URLs resolve under /docs/ whether or not the address has a trailing slash.
    ctx.body = ctx.path.endsWith('/') ? PAGE.replace(/"docs\//g, '"') : PAGE;
  });
  mount(router, SPECS.docsAsset, (ctx, { params }) => {
    const name = params.asset;
    if (name === 'init.js') {
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.body = INIT_JS;
      return;
    }
    const type = ASSETS[name];
    if (!type) throw notFound(`No such file in the docs page: ${name.slice(0, 64)}.`);
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = type;
    ctx.body = fs.createReadStream(path.join(UI_DIR, name));
  });
  return router;
}
