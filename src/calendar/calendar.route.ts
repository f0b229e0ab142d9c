import type { RouteHandler } from '../platform/http/server';
import { renderCalendarFeed } from './calendar.service';

const PATH_RE = /^\/calendar\/([^/]+)\.ics$/;

/** GET /calendar/<token>.ics: the private feed, or 404 for anything unknown, revoked or deactivated. */
export const calendarRoute: RouteHandler = async (req, res, app) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const m = PATH_RE.exec(path);
  if (!m) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const body = await renderCalendarFeed(app.orm.em.fork(), m[1]);
  if (body === null) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Not found\n');
    return true;
  }
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'cache-control': 'private, no-cache',
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
};
