import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RouteHandler } from './server';
import { IDE_SCRIPT, IDE_STYLE } from './ide-client';

/**
 * The in-browser IDE (GraphiQL) at GET /graphql for a browser, with every file it needs served
 * from /ide/ out of node_modules: nothing is fetched from anywhere else, so it works on networks
 * that block outside sites. On outside production; HUBNET_IDE=1 turns it on in production.
 */
const ASSET_PREFIX = '/ide/';

const packageFile = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** The only files served: a fixed list, so no request path ever reaches the file system. */
const FILES: Record<string, { type: string; load: () => string | Buffer }> = {
  'react.production.min.js': { type: 'text/javascript', load: () => fs.readFileSync(packageFile('react', 'umd/react.production.min.js')) },
  'react-dom.production.min.js': { type: 'text/javascript', load: () => fs.readFileSync(packageFile('react-dom', 'umd/react-dom.production.min.js')) },
  'graphiql.min.js': { type: 'text/javascript', load: () => fs.readFileSync(packageFile('graphiql', 'graphiql.min.js')) },
  'graphiql.min.css': { type: 'text/css', load: () => fs.readFileSync(packageFile('graphiql', 'graphiql.min.css')) },
  'graphql-ws.min.js': { type: 'text/javascript', load: () => fs.readFileSync(packageFile('graphql-ws', 'umd/graphql-ws.min.js')) },
  'hubnet-ide.js': { type: 'text/javascript', load: () => IDE_SCRIPT },
  'hubnet-ide.css': { type: 'text/css', load: () => IDE_STYLE },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Hubnet GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PREFIX}graphiql.min.css">
<link rel="stylesheet" href="${ASSET_PREFIX}hubnet-ide.css">
</head>
<body>
<div id="graphiql">Loading the IDE…</div>
<script src="${ASSET_PREFIX}react.production.min.js"></script>
<script src="${ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${ASSET_PREFIX}graphql-ws.min.js"></script>
<script src="${ASSET_PREFIX}graphiql.min.js"></script>
<script src="${ASSET_PREFIX}hubnet-ide.js"></script>
</body>
</html>
`;

/**
 * Only this origin, for everything: scripts and styles from files (none inline, no eval), the
 * API and its WebSocket, images and fonts GraphiQL's stylesheet embeds as data: URLs.
 */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': IDE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

interface Served {
  body: Buffer;
  type: string;
  etag: string;
}
const served = new Map<string, Served>();
function serve(name: string, type: string, load: () => string | Buffer): Served {
  let file = served.get(name);
  if (!file) {
    const body = Buffer.from(load());
    file = { body, type, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    served.set(name, file);
  }
  return file;
}

/** A browser asking for a page: HTML preferred to the GraphQL media types (what Apollo's landing page keyed on). */
function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const html = types.indexOf('text/html');
  if (html < 0) return false;
  const graphql = types.findIndex((t) => t === 'application/json' || t === 'application/graphql-response+json');
  return graphql < 0 || html < graphql;
}

export const ideRoute: RouteHandler = async (req, res, app) => {
  if (!app.config.ide || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let file: Served;
  if (url.pathname === '/graphql') {
    // A GraphQL GET (it names a query or a document) is the API's, whatever the browser accepts.
    if (url.search || !wantsHtml(req.headers.accept)) return false;
    file = serve('index.html', 'text/html; charset=utf-8', () => PAGE);
  } else if (url.pathname.startsWith(ASSET_PREFIX)) {
    const entry = Object.hasOwn(FILES, url.pathname.slice(ASSET_PREFIX.length)) ? FILES[url.pathname.slice(ASSET_PREFIX.length)] : undefined;
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('Not found\n');
      return true;
    }
    file = serve(url.pathname, `${entry.type}; charset=utf-8`, entry.load);
  } else {
    return false;
  }
  const headers = { 'content-type': file.type, etag: file.etag, 'cache-control': 'no-cache', vary: 'accept', ...SECURITY_HEADERS };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': String(file.body.length) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
};
