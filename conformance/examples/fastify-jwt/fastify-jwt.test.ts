// fastify 5 + @fastify/websocket + @fastify/jwt 10 in its documented pattern, started as
// its own process and checked through the CLI with this folder's config and policy.
import { describe, it } from 'vitest';
import { checkExample } from '../harness.ts';
import { DECLARED, FINDINGS } from './findings.ts';

describe('example: fastify + @fastify/websocket + @fastify/jwt', () => {
  it('the documented pattern shows exactly the findings of its README', () => checkExample('fastify-jwt', FINDINGS, DECLARED, { fixed: false, seed: 7, runs: 60 }), 240_000);
  it('the correct backend of its shape (--fixed: defects mended, closes at exp + skew) has no divergence', () => checkExample('fastify-jwt', FINDINGS, DECLARED, { fixed: true, seed: 8, runs: 60 }), 240_000);
});
