// Requests that are not upgrades: GET /healthz (the database answers SELECT 1, and
// for PostgreSQL the change listener is up), 426 on /ws, 404 elsewhere.
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Directory } from '../directory/directory.ts';
import { STALLED, withDeadline } from '../handshake/deadline.ts';

export const WS_PATH = '/ws';
export const HEALTH_PATH = '/healthz';
const HEALTH_TIMEOUT_MS = 2000;

export function plainHttp(directory: Directory): RequestListener {
  return (req, res) => {
    const path = pathOf(req);
    if (req.method === 'GET' && path === HEALTH_PATH) {
      void withDeadline(directory.ping(), HEALTH_TIMEOUT_MS)
        .then((r) => r !== STALLED)
        .catch(() => false)
        .then((healthy) => {
          res.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable' }));
        });
      return;
    }
    const upgradeRequired = path === WS_PATH;
    res.writeHead(upgradeRequired ? 426 : 404, {
      'Content-Type': 'application/json',
      ...(upgradeRequired ? { Upgrade: 'websocket' } : {}),
    });
    res.end(JSON.stringify({ error: upgradeRequired ? 'upgrade-required' : 'not-found' }));
  };
}

export function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://backend.invalid').pathname;
  } catch {
    return '';
  }
}
