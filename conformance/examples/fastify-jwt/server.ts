// fastify 5 + @fastify/websocket 11 + @fastify/jwt 10, as their READMEs show: the
// plugin registered with a secret and `verify: { allowedIss, allowedAud }`, an
// `authenticate` decorator calling `request.jwtVerify()` and `reply.send(err)` on
// failure, used as the websocket route's `onRequest` hook (the @fastify/websocket
// README: hooks before the upgrade "can be used for authentication"). Users come from
// a fixed list.
//
// `fixed: true` mends the library defects the README lists: fast-jwt errors
// @fastify/jwt leaves unmapped answer 401 instead of 500, and iss/aud are required
// claims instead of checked only when present; and it closes the socket at exp + skew.
import websocket from '@fastify/websocket';
import fastifyJwt from '@fastify/jwt';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { closeAtExpiry } from '../close-at-expiry.ts';
import type { RunningServer } from '../ws-jsonwebtoken/server.ts';

export const ISSUER = 'https://auth.chat.example';
export const AUDIENCE = 'chat-api';
export const ALLOWED_ORIGINS = ['https://chat.example'];

const USERS = new Map([
  ['alice', { active: true, roles: ['chat'] }],
  ['bob', { active: false, roles: ['chat'] }],
  ['carol', { active: true, roles: ['viewer'] }],
]);

const CHALLENGE = 'Bearer realm="chat", error="invalid_token"';

export async function startServer(options: { port: number; secret: string; fixed?: boolean }): Promise<RunningServer> {
  const app = Fastify();
  await app.register(fastifyJwt, {
    secret: options.secret,
    // fast-jwt takes clockTolerance in ms (unlike maxAge, which @fastify/jwt converts from seconds).
    verify: { allowedIss: ISSUER, allowedAud: AUDIENCE, clockTolerance: 5000, ...(options.fixed ? { requiredClaims: ['iss', 'aud'] } : {}) },
  });
  await app.register(websocket);
  if (options.fixed) {
    // The mend: any token error @fastify/jwt passes through unmapped (no statusCode) is a 401.
    app.setErrorHandler((error: { statusCode?: number; code?: string }, _request, reply) => {
      if (error.statusCode === undefined && error.code?.startsWith('FAST_JWT_')) return reply.code(401).header('WWW-Authenticate', CHALLENGE).send({ message: 'invalid token' });
      return reply.send(error);
    });
  }

  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const origin = request.headers.origin;
    if (origin !== undefined && !ALLOWED_ORIGINS.includes(origin)) return reply.code(403).send({ message: 'origin not allowed' });
    try {
      await request.jwtVerify();
    } catch (err) {
      const presented = /^Bearer\s+\S/i.test(request.headers.authorization ?? '');
      if ((err as { statusCode?: number }).statusCode === 401) reply.header('WWW-Authenticate', presented ? CHALLENGE : 'Bearer realm="chat"');
      return reply.send(err);
    }
    const sub = (request.user as { sub?: unknown }).sub;
    if (typeof sub !== 'string') return reply.code(401).header('WWW-Authenticate', CHALLENGE).send({ message: 'token without sub' });
    const user = USERS.get(sub);
    if (!user || !user.active || !user.roles.includes('chat')) return reply.code(403).send({ message: 'forbidden' });
  }

  app.get('/healthz', async () => 'ok');
  app.get('/ws', { websocket: true, onRequest: [authenticate] }, (socket, request) => {
    if (options.fixed) closeAtExpiry(socket, (request.user as { exp?: unknown }).exp, 5);
    socket.on('message', (data) => socket.send(data));
  });
  await app.listen({ port: options.port, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws`, close: () => app.close() };
}
