// Small report documents for the gate, diff, SARIF and GitHub tests: cases written as
// the report writes them, divergences derived from the divergent ones.
import { CANONICAL_FACTS, type Facts } from '../cases/facts-util.ts';
import type { CaseSource } from '../cases/case.ts';
import type { Divergence } from '../result.ts';
import { REPORT_SCHEMA, type CaseEntry, type CompletedDocument } from './document.ts';

type Verdicts = CaseEntry['verdict'];

export function entry(key: string, o: { facts?: Partial<Facts>; source?: CaseSource; observed?: string; verdict?: Verdicts; hint?: string; expected?: CaseEntry['expected']; stability?: CaseEntry['stability'] } = {}): CaseEntry {
  const verdict = o.verdict ?? { handshake: 'OK', session: 'N/A' };
  const divergent = [verdict.handshake, verdict.session].some((v) => v !== 'OK' && v !== 'N/A' && v !== 'NON-STRICT' && v !== null);
  const source: CaseSource = o.source ?? (key.startsWith('path:') ? { kind: 'path', pathId: key.slice(5) } : key === 'canary' ? { kind: 'canary' } : { kind: 'fuzz', seed: 1, path: '0' });
  return {
    key,
    source,
    description: key,
    facts: { ...CANONICAL_FACTS, ...o.facts },
    expected: o.expected ?? { outcome: 'reject-401', reason: 'alg-none', trace: ['origin', 'credential', 'structure', 'algorithm', 'alg-none'] },
    status: 'judged',
    notCovered: null,
    observed: o.observed ?? 'reject-401',
    verdict,
    divergent,
    findings: divergent || verdict.handshake === 'NON-STRICT' ? [{ check: 'handshake-outcome', phase: 'handshake', verdict: verdict.handshake ?? 'FAILED', message: `observed ${o.observed}` }] : [],
    hint: o.hint ? { id: o.hint, text: `hint ${o.hint}` } : null,
    stability: o.stability ?? null,
    confirmation: divergent ? { status: o.stability ?? 'deterministic', attempts: 3, reproduced: o.stability === 'flaky' ? 1 : 3 } : null,
    firstObserved: null,
    twins: [],
    request: null,
    evidence: null,
  };
}

export function completedDoc(cases: CaseEntry[], seed = 1): CompletedDocument {
  const divergences: Divergence[] = cases
    .filter((c) => c.divergent)
    .map((c) => ({
      key: c.key,
      handshake: c.verdict.handshake!,
      session: c.verdict.session!,
      expected: `${c.expected.outcome} (${c.expected.reason})`,
      observed: c.observed!,
      hint: c.hint,
      description: c.description,
      ...(c.stability ? { stability: c.stability } : {}),
    }));
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const ratio = { covered: 1, total: 1 };
  return {
    schema: REPORT_SCHEMA,
    startedAt: '2026-01-01T00:00:00.000Z',
    kind: 'completed',
    exitCode: divergences.length ? 1 : 0,
    passed: divergences.length === 0,
    target: { kind: 'embedded', description: 'test target', url: 'ws://127.0.0.1:1/ws' },
    preflight: { reachable: { ok: true, detail: 'ok' }, health: null, canary: { ok: true, detail: 'ok' } },
    seed,
    runs: 10,
    strict: false,
    profile: 'default',
    policyDigest: '0000000000000000',
    configFile: 'ws-auth-conformance.config.ts',
    shard: null,
    stoppedAfterCanary: false,
    summary: {
      cases: cases.length,
      judged: cases.length,
      notCovered: 0,
      twins: 0,
      predicted: count(cases.map((c) => c.expected.outcome)),
      observed: count(cases.map((c) => c.observed ?? 'none')),
      handshakeVerdicts: count(cases.map((c) => c.verdict.handshake ?? 'N/A')),
      sessionVerdicts: count(cases.map((c) => c.verdict.session ?? 'N/A')),
      divergences: divergences.length,
      vacuous: 0,
      nonStrict: cases.filter((c) => c.verdict.handshake === 'NON-STRICT').length,
      coverage: { states: ratio, transitions: ratio },
      modelCoverage: { states: ratio, transitions: ratio },
      notCoveredFacts: [],
      declared: [],
      wallMs: 1000,
      casesPerSecond: cases.length,
    },
    divergences,
    cases,
  };
}
