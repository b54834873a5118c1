// Starts one example app on 127.0.0.1 and prints {"event":"ready","url":...} as its
// first line, as the example tests expect (and as you would start your own backend):
//   WSAC_SECRET=$(openssl rand -hex 32) node --import tsx conformance/examples/launch.ts ws-jsonwebtoken [--fixed]
// PORT picks the port (default 8080; 0 for any free one). --fixed starts the app with
// the library defects its README lists mended, where the example has any.
import type { RunningServer } from './ws-jsonwebtoken/server.ts';

type Start = (options: { port: number; secret: string; fixed: boolean; jwksUrl: string }) => Promise<RunningServer>;

const EXAMPLES: Record<string, () => Promise<{ startServer: Start }>> = {
  'ws-jsonwebtoken': () => import('./ws-jsonwebtoken/server.ts'),
  'fastify-jwt': () => import('./fastify-jwt/server.ts'),
  'graphql-ws': () => import('./graphql-ws/server.ts'),
  'user-hooks': () => import('./user-hooks/server.ts'),
  // Its keys come from the JWKS the tool serves (JWKS_URL), not from WSAC_SECRET.
  'ws-jose-jwks': () => import('./ws-jose-jwks/server.ts'),
};

const [name, ...flags] = process.argv.slice(2);
const load = name === undefined ? undefined : EXAMPLES[name];
const secret = process.env.WSAC_SECRET;
if (!load || !secret) {
  console.error(`usage: WSAC_SECRET=... node --import tsx launch.ts <${Object.keys(EXAMPLES).join('|')}> [--fixed]`);
  process.exit(2);
}
const { startServer } = await load();
const jwksUrl = process.env.JWKS_URL ?? 'http://127.0.0.1:8765/.well-known/jwks.json';
const server = await startServer({ port: Number(process.env.PORT ?? 8080), secret, fixed: flags.includes('--fixed'), jwksUrl });
console.log(JSON.stringify({ event: 'ready', url: server.url }));
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
