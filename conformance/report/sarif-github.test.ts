// SARIF and GitHub Actions output from a report document: schema-valid SARIF whose
// levels follow the verdicts, fingerprints that survive a new seed, and workflow
// commands escaped so a hint can never break out of its annotation.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../testing/sarif-schema.ts';
import { completedDoc, entry } from './fixtures.test-support.ts';
import { gated } from './gate.ts';
import { escapeData, escapeProperty, reportToGitHub, workflowCommands } from './github.ts';
import { sarifLog } from './sarif.ts';

const cases = () => [
  entry('canary'),
  entry('path:alg-none:alg=none', { facts: { alg: 'none' }, observed: 'accept', verdict: { handshake: 'FAILED-SECURITY', session: 'OK' }, hint: 'alg-none' }),
  entry('path:sig:signature=tampered', { facts: { signature: 'tampered' }, observed: 'reject-403', verdict: { handshake: 'WRONG-CODE', session: 'N/A' }, hint: 'sig-403' }),
  entry('path:www:credential=missing', { facts: { placement: 'none' }, observed: 'reject-401', verdict: { handshake: 'NON-STRICT', session: 'N/A' } }),
  entry('fuzz:4', { facts: { exp: 'within-skew', nbf: 'past' }, observed: 'reject-401', verdict: { handshake: 'FAILED', session: 'N/A' }, hint: 'no-exp', stability: 'flaky' }),
];

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 with one rule per check and hint, one result per divergence and NON-STRICT case', () => {
    const log = sarifLog(completedDoc(cases()), '0.1.0');
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    for (const r of rules) {
      expect(r.shortDescription?.text, r.id).toBeTruthy();
      expect(r.fullDescription?.text, r.id).toBeTruthy();
      expect(r.help?.text, r.id).toBeTruthy();
    }
    const results = run.results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['alg-none', 'error'],
      ['sig-403', 'error'],
      ['no-exp', 'warning'],
      ['handshake-outcome', 'warning'],
    ]);
    for (const r of results) {
      expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      const loc = r.locations![0]!;
      expect(loc.physicalLocation!.artifactLocation!.uri).toBe('ws-auth-conformance.config.ts');
      expect(loc.logicalLocations![0]!.name).toMatch(/^(path|fuzz):/);
      expect(Object.values(r.partialFingerprints!)[0]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('fingerprints name the case, not the seed: the same facts under another key keep theirs', () => {
    const fp = (key: string) => {
      const log = sarifLog(completedDoc([entry(key, { facts: { alg: 'none' }, observed: 'accept', verdict: { handshake: 'FAILED-SECURITY', session: 'OK' }, hint: 'alg-none' })]), '0');
      return (log.runs[0]!.results![0] as Result).partialFingerprints;
    };
    expect(fp('fuzz:1')).toEqual(fp('fuzz:99'));
    expect(fp('fuzz:1')).not.toEqual(fp('path:alg-none:alg=none'));
  });

  it('a run that did not complete is still valid SARIF, with the error as a notification and no result', () => {
    const log = sarifLog({ schema: 'ws-auth-conformance/report@1', startedAt: 'x', kind: 'unreachable', exitCode: 2, passed: false, error: { code: 'ERR_UNREACHABLE', message: 'ECONNREFUSED' } }, '0');
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations![0]!.executionSuccessful).toBe(false);
  });
});

describe('GitHub Actions', () => {
  it('escapes workflow-command data and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a: b, c%')).toBe('a%3A b%2C c%25');
  });

  it('one ::error per failing divergence, ::warning for NON-STRICT and flaky, ::notice once known or waived', () => {
    const lines = workflowCommands(completedDoc(cases()));
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['::error', '::error', '::warning', '::warning']);
    expect(lines[0]).toMatch(/^::error title=hint alg-none,file=ws-auth-conformance\.config\.ts::FAILED-SECURITY\/OK path:alg-none:alg=none/);
    for (const l of lines) expect(l.split('\n')).toHaveLength(1);
    const waived = gated(completedDoc(cases()), { waivers: [{ hint: 'sig-403', why: 'x', until: '2999-01-01' }], today: '2026-01-01' });
    expect(workflowCommands(waived)[1]).toMatch(/^::notice title=waived%3A hint sig-403/);
  });

  it('only with GITHUB_ACTIONS=true (and not WSAC_GITHUB=off): annotations on stdout, a Markdown summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(await mkdtemp(join(tmpdir(), 'wsac-gh-')), 'summary.md');
    let out = '';
    const sink = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
    await reportToGitHub(completedDoc(cases()), 'reports', { GITHUB_STEP_SUMMARY: summary }, sink);
    await reportToGitHub(completedDoc(cases()), 'reports', { GITHUB_ACTIONS: 'true', WSAC_GITHUB: 'off', GITHUB_STEP_SUMMARY: summary }, sink);
    expect(out).toBe('');
    await reportToGitHub(completedDoc(cases()), 'reports', { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, sink);
    expect(out.match(/^::(error|warning) /gm)).toHaveLength(4);
    const md = await readFile(summary, 'utf8');
    expect(md).toContain('## ws-auth-conformance: ❌ FAIL');
    expect(md).toContain('| ❌ | FAILED-SECURITY/OK | `path:alg-none:alg=none`');
    expect(md).toContain('`reports/index.html`');
  });
});
