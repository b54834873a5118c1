// The CI gate and the run comparison: which divergence is "the same" across runs
// (path key; facts for fuzz cases, whatever the seed; the kind for new fuzz draws), what
// waivers do, and when diff calls B worse.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { diffReports } from './diff.ts';
import { completedDoc, entry } from './fixtures.test-support.ts';
import { applyGate, gated, type Waiver } from './gate.ts';

const TODAY = '2026-06-15';
const FAIL = { handshake: 'FAILED-SECURITY', session: 'OK' } as const;
const WRONG = { handshake: 'WRONG-CODE', session: 'N/A' } as const;
const ok = (key: string, facts = {}) => entry(key, { facts });
const algNone = (key: string, facts = {}) => entry(key, { facts: { alg: 'none', ...facts }, observed: 'accept', verdict: FAIL, hint: 'alg-none' });

describe('baseline', () => {
  const baseline = completedDoc([ok('canary'), algNone('path:alg-none:alg=none'), algNone('fuzz:3', { exp: 'past' })], 1);

  it('the same divergences again: all known, the gate passes', () => {
    const gate = applyGate(completedDoc([ok('canary'), algNone('path:alg-none:alg=none'), algNone('fuzz:3', { exp: 'past' })]), { baseline: { file: 'b.json', doc: baseline }, waivers: [], today: TODAY });
    expect(gate).toMatchObject({ passed: true, newDivergences: [] });
    expect(gate.known.map((k) => k.by)).toEqual(['identity', 'identity']);
  });

  it('a fuzz case with the same facts under another seed and key is known by identity', () => {
    const gate = applyGate(completedDoc([algNone('fuzz:17', { exp: 'past' })], 2), { baseline: { file: 'b.json', doc: baseline }, waivers: [], today: TODAY });
    expect(gate.known).toEqual([{ key: 'fuzz:17', baselineKey: 'fuzz:3', by: 'identity' }]);
  });

  it('a fuzz case with other facts but the same kind (trace, reason, observed, verdicts, hint) is known by kind; another hint is new', () => {
    const sameKind = algNone('fuzz:5', { nbf: 'future', placement: 'cookie' });
    const otherHint = entry('fuzz:6', { facts: { alg: 'none' }, observed: 'accept', verdict: FAIL, hint: 'header-bypass' });
    const gate = applyGate(completedDoc([sameKind, otherHint], 3), { baseline: { file: 'b.json', doc: baseline }, waivers: [], today: TODAY });
    expect(gate.known).toEqual([{ key: 'fuzz:5', baselineKey: 'fuzz:3', by: 'kind' }]);
    expect(gate).toMatchObject({ newDivergences: ['fuzz:6'], passed: false });
  });

  it('for FAILED-SECURITY, any way of letting the client in is one kind (accepted, or accepted and closed 1008 later)', () => {
    const closedLater = entry('fuzz:8', { facts: { alg: 'none', session: 'token-expires' }, observed: 'close-1008', verdict: FAIL, hint: 'alg-none' });
    const refusedWrongly = entry('fuzz:9', { facts: { alg: 'none', user: 'missing' }, observed: 'reject-403', verdict: WRONG, hint: 'alg-none' });
    const gate = applyGate(completedDoc([closedLater, refusedWrongly], 4), { baseline: { file: 'b.json', doc: baseline }, waivers: [], today: TODAY });
    expect(gate.known.map((k) => k.key)).toEqual(['fuzz:8']);
    expect(gate.newDivergences).toEqual(['fuzz:9']);
  });

  it('model paths match by path key only: another path diverging the same way is new', () => {
    const gate = applyGate(completedDoc([algNone('path:alg-none:alg=none,placement=cookie')]), { baseline: { file: 'b.json', doc: baseline }, waivers: [], today: TODAY });
    expect(gate.newDivergences).toEqual(['path:alg-none:alg=none,placement=cookie']);
  });
});

describe('waivers', () => {
  const run = completedDoc([ok('canary'), entry('path:sig:signature=tampered', { observed: 'reject-403', verdict: WRONG, hint: 'sig-403' }), algNone('fuzz:9')]);
  const why = 'clients still read 403; TICKET-12';

  it('a live hint waiver and a case-prefix waiver cover their divergences; the exit code follows the gate', () => {
    const waivers: Waiver[] = [{ hint: 'sig-403', why, until: '2026-12-31' }, { case: 'fuzz:*', hint: 'alg-none', why, until: TODAY }];
    const doc = gated(run, { waivers, today: TODAY });
    expect(doc.gate).toMatchObject({ passed: true, newDivergences: [], expiredWaivers: [] });
    expect(doc.gate!.waived.map((w) => w.key)).toEqual(['path:sig:signature=tampered', 'fuzz:9']);
    expect(doc.exitCode).toBe(0);
  });

  it('an expired waiver fails the run even when it covers nothing', () => {
    const expired: Waiver = { hint: 'no-such-hint', why, until: '2026-06-14' };
    const doc = gated(completedDoc([ok('canary')]), { waivers: [expired], today: TODAY });
    expect(doc.gate).toMatchObject({ passed: false, expiredWaivers: [expired] });
    expect(doc.exitCode).toBe(1);
  });

  it('an interrupted run keeps its exit code 130 whatever the gate says', () => {
    const doc = gated({ ...completedDoc([ok('canary')]), partial: true, exitCode: 130 }, { waivers: [{ hint: 'x', why, until: '2999-01-01' }], today: TODAY });
    expect(doc).toMatchObject({ exitCode: 130, gate: { passed: true } });
  });

  it('a waiver with a hint waives only divergences with that hint', () => {
    const doc = gated(run, { waivers: [{ hint: 'sig-403', why, until: '2026-12-31' }], today: TODAY });
    expect(doc.gate!.newDivergences).toEqual(['fuzz:9']);
    expect(doc.exitCode).toBe(1);
  });

  it('the config checks waivers: a bad date and a missing reason are named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-waiver-'));
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ waivers: [{ hint: 'sig-403', why, until: '2026-02-30' }] }));
    await expect(loadConfig(file)).rejects.toThrow(/waivers\[0\]\.until: must be a date YYYY-MM-DD, got "2026-02-30"/);
    await writeFile(file, JSON.stringify({ waivers: [{ hint: 'sig-403', until: '2026-12-31' }] }));
    await expect(loadConfig(file)).rejects.toThrow(/waivers\[0\]\.why: missing/);
    await writeFile(file, JSON.stringify({ waivers: [{ why, until: '2026-12-31' }] }));
    await expect(loadConfig(file)).rejects.toThrow(/waivers\[0\]: names neither a case nor a hint/);
  });
});

describe('diff', () => {
  it('a case whose verdict got worse makes B worse; grouped by the model reason', () => {
    const a = completedDoc([ok('canary'), entry('path:sig:signature=tampered', { observed: 'reject-401' })]);
    const b = completedDoc([ok('canary'), entry('path:sig:signature=tampered', { observed: 'reject-403', verdict: WRONG, hint: 'sig-403' })]);
    const d = diffReports(a, b);
    expect(d.changes).toEqual([expect.objectContaining({ keyB: 'path:sig:signature=tampered', reason: 'alg-none', from: 'reject-401 OK/N/A', to: 'reject-403 WRONG-CODE/N/A', worse: true })]);
    expect(d.worse).toBe(true);
    expect(diffReports(b, a).worse).toBe(false);
  });

  it('a new divergence of a kind A never had is worse even on a fuzz case A did not draw', () => {
    const a = completedDoc([ok('canary')], 1);
    const b = completedDoc([ok('canary'), algNone('fuzz:1')], 2);
    expect(diffReports(a, b)).toMatchObject({ worse: true, newDivergences: [expect.objectContaining({ key: 'fuzz:1' })] });
    expect(diffReports(b, b)).toMatchObject({ worse: false, changes: [], newDivergences: [] });
  });
});
