// The summary names a target once: a url target's description already holds its URL.
import { describe, expect, it } from 'vitest';
import { formatSummary } from './format.ts';
import type { RunResult } from '../result.ts';

const unreachable = (description: string, url: string): RunResult => ({
  kind: 'unreachable',
  target: { kind: 'url', description, url },
  preflight: { reachable: { ok: false, detail: 'TCP connect to 127.0.0.1:9 refused' }, health: null, canary: null },
  detail: 'TCP connect to 127.0.0.1:9 refused',
});

describe('formatSummary', () => {
  it('prints the URL once for a url target, and beside a description without it', () => {
    const url = 'ws://127.0.0.1:9/ws';
    expect(formatSummary(unreachable(`url ${url} (fixed users: active)`, url))).toContain(`  target: url ${url} (fixed users: active)\n`);
    expect(formatSummary(unreachable('embedded reference backend on PGlite', url))).toContain(`  target: embedded reference backend on PGlite (${url})\n`);
  });

  it('a setup error has the prefix of every other CLI error', () => {
    expect(formatSummary({ kind: 'setup-error', error: new Error('no such mutant') })).toBe('error: no such mutant\n');
  });
});
