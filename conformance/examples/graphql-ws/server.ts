// graphql-ws 6 on ws 8, authenticated the way the graphql-ws recipes show: the
// client sends its token in the `connection_init` payload (`connectionParams`), and
// `onConnect` returns false for a bad one, which graphql-ws turns into close 4403
// Forbidden. graphql-ws itself closes 4406 without the `graphql-transport-ws`
// subprotocol, 4400 on a message that is not one of the protocol's, and 4408 when no
// `connection_init` arrives within `connectionInitWaitTimeout` (3 s). The token is
// checked with jsonwebtoken, hardened as in the ws-jsonwebtoken example; users come from
// a fixed list; a foreign Origin is refused with 403 before the upgrade.
import { createServer, type IncomingMessage } from 'node:http';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { WebSocketServer } from 'ws';
import type { RunningServer } from '../ws-jsonwebtoken/server.ts';

export const ISSUER = 'https://auth.chat.example';
export const AUDIENCE = 'chat-api';
export const ALLOWED_ORIGINS = ['https://chat.example'];

const USERS = new Map([
  ['alice', { active: true, roles: ['chat'] }],
  ['bob', { active: false, roles: ['chat'] }],
  ['carol', { active: true, roles: ['viewer'] }],
]);

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
});

function authorised(token: unknown, secret: string): boolean {
  if (typeof token !== 'string') return false;
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, clockTolerance: 5 }) as JwtPayload;
    const user = typeof claims.sub === 'string' ? USERS.get(claims.sub) : undefined;
    return user !== undefined && user.active && user.roles.includes('chat');
  } catch {
    return false;
  }
}

export async function startServer(options: { port: number; secret: string; fixed?: boolean }): Promise<RunningServer> {
  const http = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/graphql',
    // The callback form: the synchronous one refuses with 401, where an origin calls for 403.
    verifyClient: (info: { origin: string; req: IncomingMessage }, done) => done(info.origin === undefined || ALLOWED_ORIGINS.includes(info.origin), 403, 'Forbidden'),
  });
  const graphql = useServer(
    {
      schema,
      // Returning false closes the socket with 4403 Forbidden.
      onConnect: (ctx) => authorised(ctx.connectionParams?.token, options.secret),
    },
    wss,
  );
  await new Promise<void>((resolve) => http.listen(options.port, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    close: async () => {
      await graphql.dispose();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
