// `init` against each part-1 example, as a user would: the app started as its own process,
// `ws-auth-conformance init` probing it over real sockets, the draft it writes loaded
// as it is and run with `run`. The accepted draft must show exactly the library's real
// defects (the example's findings.ts, which its own test asserts with its hand-written
// policy) and the same declared weaker contracts: nothing learnt hides a defect, nothing
// missed is reported as one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathFindings, runTool, signature, startExample, unexplained, type ExampleApp, type KnownFinding } from '../examples/harness.ts';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');

/** What a user of these apps knows and passes: the values their code names (server.ts). */
const KNOWN = [
  '--issuer', 'https://auth.chat.example', '--audience', 'chat-api',
  '--users', 'active=alice,inactive=bob,lacks-role=carol', '--role', 'chat', '--origin', 'https://chat.example',
];

async function runInit(app: ExampleApp, args: string[]): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [BIN, 'init', '--url', app.url, ...args], { env: { ...process.env, WSAC_SECRET: app.secret }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  return { code, output };
}

async function checkDraft(example: string): Promise<void> {
  const { FINDINGS, DECLARED } = (await import(`../examples/${example}/findings.ts`)) as { FINDINGS: KnownFinding[]; DECLARED: string[] };
  const app = await startExample(example);
  try {
    const out = join(await mkdtemp(join(tmpdir(), `wsac-init-${example}-`)), 'ws-auth-conformance.config.ts');
    const init = await runInit(app, ['--secret-env', 'WSAC_SECRET', ...KNOWN, '--out', out]);
    expect(init.code, init.output).toBe(0);
    const draft = await readFile(out, 'utf8');
    expect(draft).not.toContain(app.secret);
    expect(init.output).not.toContain(app.secret);
    const { report, output } = await runTool(example, app, 7, 60, out);
    expect(report.kind, output).toBe('completed');
    expect(pathFindings(report), `${output}\n${draft}`).toEqual([...new Set(FINDINGS.map(signature))].sort());
    expect(unexplained(report, FINDINGS), `${output}\n${draft}`).toEqual([]);
    expect((report.summary.declared ?? []).map((d) => d.id).sort()).toEqual([...DECLARED].sort());
    // Every defect the run reports was named in the draft as suspected, never learnt.
    for (const f of FINDINGS) expect(draft, f.reason).toMatch(new RegExp(`SUSPECTED DEFECTS[\\s\\S]*probe ${f.fact![0]}=${f.fact![1]}`));
  } finally {
    app.stop();
  }
}

describe('init against the part-1 examples: the accepted draft reports only the real defects', () => {
  it('ws + jsonwebtoken: no defect, five declared contracts', () => checkDraft('ws-jsonwebtoken'), 240_000);
  it('fastify + @fastify/jwt: its five defects (three 500s, iss/aud absent accepted), none learnt', () => checkDraft('fastify-jwt'), 240_000);
  it('graphql-ws: the subprotocol, the connection_init template and its 4403/4408 closes learnt', () => checkDraft('graphql-ws'), 240_000);
});
