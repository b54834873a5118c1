// `check-logs` as a user runs it: a file or stdin, violations with line numbers, a summary,
// exit codes like `run` (0 clean, 1 violations, 2 usage or setup error).
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['conformance/cli/bin.mjs', 'check-logs', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const CLEAN = ['{"event":"listening","url":"ws://x"}', '{"event":"handshake","outcome":"reject-401","reason":"alg-none"}', '{"event":"handshake","outcome":"accept","userState":"active"}'];

describe('check-logs command', () => {
  it('a clean log exits 0 with a summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-check-logs-'));
    await writeFile(join(dir, 'clean.jsonl'), `${CLEAN.join('\n')}\n`);
    const r = await cli([join(dir, 'clean.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 lines, 2 decisions, 0 violations, 0 unreadable (profile default)');
  });

  it('stdin: violations with line numbers and request ids, bad lines reported, exit 1', async () => {
    const log = [...CLEAN, 'oops', '{"outcome":"accept","userState":"inactive","requestId":"r-9"}', '{"outcome":"reject-401"}'].join('\n');
    const r = await cli(['-'], log);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^line 4: unreadable: not JSON/m);
    expect(r.stdout).toMatch(/^line 5: forbidden-accept: accept where the model answers reject-403 \(user-inactive.*\[r-9\]$/m);
    expect(r.stdout).toMatch(/^line 6: reject-without-reason: reject-401 without a reason$/m);
  });

  it('--map reads another backend\'s fields; --json prints JSON lines; rfc-strict changes the contract', async () => {
    const line = '{"status":401,"auth":{"reason":"user-unknown"}}\n';
    const dflt = await cli(['-', '--map', 'outcome=status,reason=auth.reason', '--json'], line);
    expect(dflt.code).toBe(1);
    expect(JSON.parse(dflt.stdout.split('\n')[0]!)).toMatchObject({ type: 'violation', line: 1, rule: 'wrong-outcome' });
    expect((await cli(['-', '--map', 'outcome=status,reason=auth.reason', '--profile', 'rfc-strict'], line)).code).toBe(0);
  });

  it('usage and setup errors exit 2: no file, a bad --map, a log where no line states a decision', async () => {
    expect((await cli(['/nonexistent/log.jsonl'])).code).toBe(2);
    expect((await cli(['-', '--map', 'colour=x'], '{}\n')).code).toBe(2);
    const none = await cli(['-'], '{"msg":"hello"}\n');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('check --map');
    expect((await cli([])).code).toBe(2);
  });
});
