// ws 8 + jsonwebtoken 9, the token checked in `verifyClient` before the upgrade (ws's
// documented hook for refusing a handshake with an HTTP status), hardened as the
// jsonwebtoken README advises: the algorithm pinned, issuer and audience required.
// Users come from a fixed list. `fixed: true` only adds the close at exp + skew (the
// library showed no defect to mend). Run it alone:
//   WSAC_SECRET=... node --import tsx server.ts        (PORT, default 8080)
import { createServer, type IncomingMessage } from 'node:http';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { WebSocketServer } from 'ws';
import { closeAtExpiry } from '../close-at-expiry.ts';

export const ISSUER = 'https://auth.chat.example';
export const AUDIENCE = 'chat-api';
export const ALLOWED_ORIGINS = ['https://chat.example'];
export const CLOCK_TOLERANCE_SECONDS = 5;

/** The user directory: id -> active flag and roles. */
const USERS = new Map([
  ['alice', { active: true, roles: ['chat'] }],
  ['bob', { active: false, roles: ['chat'] }],
  ['carol', { active: true, roles: ['viewer'] }],
]);

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: { port: number; secret: string; fixed?: boolean }): Promise<RunningServer> {
  const http = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: (info: { origin: string; req: IncomingMessage }, done) => {
      // Browsers send Origin; a page of another site must not ride the user's session.
      if (info.origin !== undefined && !ALLOWED_ORIGINS.includes(info.origin)) return done(false, 403, 'Forbidden');
      const match = /^Bearer ([^\s]+)$/i.exec(info.req.headers.authorization ?? '');
      if (!match) return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat"' });
      const verifyOptions = { algorithms: ['HS256' as const], issuer: ISSUER, audience: AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SECONDS };
      jwt.verify(match[1]!, options.secret, verifyOptions, (error, payload) => {
        const claims = payload as JwtPayload | undefined;
        if (error || typeof claims?.sub !== 'string') {
          return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat", error="invalid_token"' });
        }
        const user = USERS.get(claims.sub);
        if (!user || !user.active || !user.roles.includes('chat')) return done(false, 403, 'Forbidden');
        // ws hands the request to 'connection': the usual place for what verifyClient learnt.
        (info.req as IncomingMessage & { claims?: JwtPayload }).claims = claims;
        done(true);
      });
    },
  });
  wss.on('connection', (socket, req: IncomingMessage & { claims?: JwtPayload }) => {
    if (options.fixed) closeAtExpiry(socket, req.claims?.exp, CLOCK_TOLERANCE_SECONDS);
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
