// ws 8 + jose 6 with a remote JWKS: the documented pattern of jose for tokens signed by
// an identity provider that publishes its keys (`createRemoteJWKSet` + `jwtVerify`),
// checked in `verifyClient` before the upgrade. The JWKS is fetched lazily, refetched
// when a token names a kid the cached set lacks (at most once per `cooldownDuration`)
// and used at most `cacheMaxAge`; both are short here, as for a test run, and declared
// in policy.json. The algorithm, issuer, audience, typ and exp are required, as jose's
// README advises. Users come from a fixed list (JWKS_FETCH_ONCE=1: the JWKS fetched
// once and kept, a common hand-rolled variant, for contrast). Run it alone:
//   JWKS_URL=http://127.0.0.1:8765/.well-known/jwks.json node --import tsx ../launch.ts ws-jose-jwks
import { createServer, type IncomingMessage } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { WebSocketServer } from 'ws';
import type { RunningServer } from '../ws-jsonwebtoken/server.ts';

export const ISSUER = 'https://id.chat.example';
export const AUDIENCE = 'chat-api';
export const ALLOWED_ORIGINS = ['https://chat.example'];
export const CLOCK_TOLERANCE_SECONDS = 5;
/** jose's timers, declared as policy.json's jwks.cooldownMs and jwks.maxAgeMs. */
export const COOLDOWN_MS = 1000;
export const CACHE_MAX_AGE_MS = 4000;

const USERS = new Map([
  ['alice', { active: true, roles: ['chat'] }],
  ['bob', { active: false, roles: ['chat'] }],
  ['carol', { active: true, roles: ['viewer'] }],
]);

/**
 * The hand-rolled variant seen in services that predate a JWKS client (JWKS_FETCH_ONCE=1):
 * the set fetched on first use and kept until restart, so a rotated-in key is refused.
 */
function fetchedOnce(jwksUrl: string): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keySet ??= fetch(jwksUrl).then(async (res) => createLocalJWKSet((await res.json()) as JSONWebKeySet));
    return (await keySet)(header, token);
  };
}

export async function startServer(options: { port: number; jwksUrl: string; fetchOnce?: boolean }): Promise<RunningServer> {
  const fetchOnce = options.fetchOnce ?? process.env.JWKS_FETCH_ONCE === '1';
  const jwks = fetchOnce ? fetchedOnce(options.jwksUrl) : createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: COOLDOWN_MS, cacheMaxAge: CACHE_MAX_AGE_MS });
  const http = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    verifyClient: (info: { origin: string; req: IncomingMessage }, done) => {
      if (info.origin !== undefined && !ALLOWED_ORIGINS.includes(info.origin)) return done(false, 403, 'Forbidden');
      const match = /^Bearer ([^\s]+)$/i.exec(info.req.headers.authorization ?? '');
      if (!match) return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat"' });
      jwtVerify(match[1]!, jwks, { algorithms: ['ES256'], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', requiredClaims: ['exp'], clockTolerance: CLOCK_TOLERANCE_SECONDS }).then(
        ({ payload }: { payload: JWTPayload }) => {
          const user = typeof payload.sub === 'string' ? USERS.get(payload.sub) : undefined;
          if (typeof payload.sub !== 'string') return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat", error="invalid_token"' });
          if (!user || !user.active || !user.roles.includes('chat')) return done(false, 403, 'Forbidden');
          done(true);
        },
        () => done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="chat", error="invalid_token"' }),
      );
    },
  });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
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
