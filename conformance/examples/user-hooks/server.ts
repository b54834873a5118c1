// ws 8 + jsonwebtoken 9 in `verifyClient` (as ws-jsonwebtoken/), with users that change:
// they live in the app's memory and are managed through its admin API, `POST
// /admin/users` with `Authorization: Bearer $WSAC_ADMIN_TOKEN` and one JSON change
// ({"action":"create"|"deactivate"|"delete"|"remove-role", ...}, the shape the tool's
// user hooks send). A change that takes a user's right away closes that user's open
// sockets with 1008, and every socket closes at exp + skew. Run it alone:
//   WSAC_SECRET=... WSAC_ADMIN_TOKEN=... node --import tsx ../launch.ts user-hooks   (PORT, default 8080)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { WebSocketServer, type WebSocket } from 'ws';
import { closeAtExpiry } from '../close-at-expiry.ts';
import type { RunningServer } from '../ws-jsonwebtoken/server.ts';

export const ISSUER = 'https://auth.chat.example';
export const AUDIENCE = 'chat-api';
export const ALLOWED_ORIGINS = ['https://chat.example'];
export const CLOCK_TOLERANCE_SECONDS = 5;
const ROLE = 'chat';

interface User {
  active: boolean;
  roles: string[];
}

export async function startServer(options: { port: number; secret: string; adminToken?: string }): Promise<RunningServer> {
  const adminToken = options.adminToken ?? process.env.WSAC_ADMIN_TOKEN;
  if (!adminToken) throw new Error('set WSAC_ADMIN_TOKEN: the admin API is never open without a token');
  const users = new Map<string, User>();
  const sockets = new Map<string, Set<WebSocket>>();
  const allowed = (user: User | undefined) => user !== undefined && user.active && user.roles.includes(ROLE);

  /** Applies one admin change; the user's sockets close when it loses the right to them. */
  const apply = (change: Record<string, unknown>): boolean => {
    const id = change.userId;
    if (typeof id !== 'string' || id === '') return false;
    if (change.action === 'create') users.set(id, { active: change.active === true, roles: Array.isArray(change.roles) ? change.roles.map(String) : [] });
    else if (change.action === 'deactivate') users.get(id) && (users.get(id)!.active = false);
    else if (change.action === 'delete') users.delete(id);
    else if (change.action === 'remove-role') users.get(id) && (users.get(id)!.roles = users.get(id)!.roles.filter((r) => r !== change.role));
    else return false;
    if (!allowed(users.get(id))) for (const ws of sockets.get(id) ?? []) ws.close(1008, 'user revoked');
    return true;
  };

  const admin = (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${adminToken}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      let change: unknown;
      try {
        change = JSON.parse(body);
      } catch {
        return void res.writeHead(400).end('not JSON');
      }
      const ok = typeof change === 'object' && change !== null && apply(change as Record<string, unknown>);
      res.writeHead(ok ? 204 : 400).end(ok ? undefined : 'unknown change');
    });
  };

  const http = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/admin/users') return admin(req, res);
    res.writeHead(req.url === '/healthz' ? 200 : 404).end();
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: (info: { origin: string; req: IncomingMessage }, done) => {
      if (info.origin !== undefined && !ALLOWED_ORIGINS.includes(info.origin)) return done(false, 403, 'Forbidden');
      const match = /^Bearer ([^\s]+)$/i.exec(info.req.headers.authorization ?? '');
      if (!match) return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat"' });
      const verifyOptions = { algorithms: ['HS256' as const], issuer: ISSUER, audience: AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SECONDS };
      jwt.verify(match[1]!, options.secret, verifyOptions, (error, payload) => {
        const claims = payload as JwtPayload | undefined;
        if (error || typeof claims?.sub !== 'string') {
          return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat", error="invalid_token"' });
        }
        if (!allowed(users.get(claims.sub))) return done(false, 403, 'Forbidden');
        (info.req as IncomingMessage & { claims?: JwtPayload }).claims = claims;
        done(true);
      });
    },
  });
  wss.on('connection', (socket, req: IncomingMessage & { claims?: JwtPayload }) => {
    const sub = req.claims!.sub!;
    closeAtExpiry(socket, req.claims?.exp, CLOCK_TOLERANCE_SECONDS);
    // The user may have been revoked between the check and now.
    if (!allowed(users.get(sub))) return socket.close(1008, 'user revoked');
    let mine = sockets.get(sub);
    if (!mine) sockets.set(sub, (mine = new Set()));
    mine.add(socket);
    socket.once('close', () => {
      mine.delete(socket);
      if (mine.size === 0) sockets.delete(sub);
    });
    socket.on('message', (data) => socket.send(data));
  });
  await new Promise<void>((resolve) => http.listen(options.port, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
