// Counterexample files: what they hold (token redacted unless asked), and `replay FILE`
// re-running exactly that case: still diverging against the same mutant, passing
// against the reference backend.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { command as replay } from '../cli/replay.ts';
import { runConformance } from '../engine.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import type { Counterexample } from './counterexample.ts';

const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+/;

async function counterexamplesOf(mutant: string, revealTokens: boolean): Promise<Array<{ file: string; cx: Counterexample }>> {
  const dir = await mkdtemp(join(tmpdir(), 'wsac-cx-'));
  await runConformance({ target: () => startEmbeddedTarget({ mutant }), seed: 5, runs: 0, mutant, counterexamplesDir: dir, revealTokens });
  const files = (await readdir(dir)).map((f) => join(dir, f));
  return Promise.all(files.map(async (file) => ({ file, cx: JSON.parse(await readFile(file, 'utf8')) as Counterexample })));
}

async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { value: await fn(), out };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe.concurrent('counterexamples and replay', () => {
  it('a counterexample names facts, policy digest, redacted request, expected vs observed with the trace, verdict, hint and a curl line', async () => {
    const all = await counterexamplesOf('alg-none', false);
    const found = all.find((x) => x.cx.case === 'path:alg-none:alg=none');
    expect(found).toBeDefined();
    const { cx, file } = found!;
    expect(cx).toMatchObject({
      schema: 'ws-auth-conformance/counterexample@1',
      facts: { alg: 'none' },
      expected: { outcome: 'reject-401', reason: 'alg-none' },
      observed: { outcome: 'accept' },
      verdict: { handshake: 'FAILED-SECURITY' },
      hint: { id: 'alg-none' },
      target: { kind: 'embedded', mutant: 'alg-none' },
    });
    expect(cx.policyDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(cx.expected.trace.length).toBeGreaterThan(3);
    expect(cx.request.token?.header).toMatchObject({ typ: 'at+jwt' });
    expect(cx.request.token?.signatureFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(cx.reproduce.curl).toMatch(/^curl -i -N --http1.1 .*Upgrade: websocket/);
    expect(cx.reproduce.replay).toContain(file);
    // No whole token anywhere in the file.
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(JWT);
    expect(text).toContain('<token sha256:');
  });

  it('--reveal-tokens puts the token into the request and the curl line', async () => {
    const all = await counterexamplesOf('sig-403', true);
    const { cx } = all.find((x) => x.cx.case === 'path:signature-wrong-key:signature=wrong-key')!;
    expect(cx.reproduce.curl).toMatch(JWT);
  });

  it('replay FILE re-runs the case: still diverging against its mutant (exit 1), passing against the reference (exit 0)', async () => {
    const all = await counterexamplesOf('no-iss-aud', false);
    const { file } = all.find((x) => x.cx.case === 'path:iss-mismatch:iss=wrong')!;
    const again = await quietly(() => replay.run([file]));
    expect(again.value).toBe(1);
    expect(again.out).toContain('hint [no-iss-aud]');
    expect(again.out).toContain('result: still diverges');
    const fixed = await quietly(() => replay.run([file, '--mutant', 'none']));
    expect(fixed.value).toBe(0);
    expect(fixed.out).toContain('result: passes now');
  });
});
