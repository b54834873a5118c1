// ws 8 + jose 6 `createRemoteJWKSet` in `verifyClient`, started as its own process and
// checked through the CLI with this folder's config and policy. The tool serves the
// JWKS on a free port and the app fetches it from there; the run ends with the
// key-rotation steps, which the library must pass like every other case.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkExample, runTool, startExample } from '../harness.ts';
import { DECLARED, FINDINGS } from './findings.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('example: ws + jose createRemoteJWKSet in verifyClient', () => {
  it('the documented pattern shows exactly the findings of its README, key rotation included', async () => {
    const port = await freePort();
    const env = { WSAC_JWKS_PORT: String(port), JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` };
    const report = await checkExample('ws-jose-jwks', FINDINGS, DECLARED, { fixed: false, seed: 9, runs: 60, env });
    const rotation = report.cases.filter((c) => c.source.kind === 'rotation').map((c) => `${c.key} ${c.observed}`);
    expect(rotation).toEqual(['rotation:new-key accept', 'rotation:previous-key accept', 'rotation:unknown-kid reject-401', 'rotation:retired-key reject-401']);
  }, 240_000);

  it('the JWKS fetched once and kept (JWKS_FETCH_ONCE=1): the rotated-in key refused, and nothing else', async () => {
    const port = await freePort();
    const env = { WSAC_JWKS_PORT: String(port), JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWKS_FETCH_ONCE: '1' };
    const app = await startExample('ws-jose-jwks', false, env);
    try {
      const { report, output } = await runTool('ws-jose-jwks', app, 9, 60, undefined, env);
      expect(report.preflight.canary?.ok, output).toBe(true);
      const divergent = report.cases.filter((c) => c.divergent).map((c) => `${c.key}: expected ${c.expected.outcome} (${c.expected.reason}), observed ${c.observed}`);
      expect(divergent, output).toEqual(['rotation:new-key: expected accept (client-closed), observed reject-401']);
      expect(report.exitCode).toBe(1);
    } finally {
      app.stop();
    }
  }, 240_000);
});
