// From case runs to the values a report shows: one CaseResult per case, and the
// run's summary (counts by outcome and verdict, coverage reached, cases per second).
import { declaredContracts } from '../../model/declared.ts';
import { unavailableReason, type Unavailable } from '../capabilities/capabilities.ts';
import { measureCoverage } from '../../model/paths.ts';
import type { Policy } from '../../model/policy.ts';
import { describeFacts, type FactName } from '../cases/facts-util.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { isDivergentRun, type CaseRun } from '../judge/case-run.ts';
import { NOT_APPLICABLE } from '../judge/verdict.ts';
import { redactRequest } from '../replay/counterexample.ts';
import type { CaseResult, Summary } from '../result.ts';

export function toResult(run: CaseRun, strict: boolean, revealTokens = false): CaseResult {
  const base = {
    key: run.kase.key,
    source: run.kase.source,
    facts: run.kase.facts,
    description: describeFacts(run.kase.facts),
    prediction: run.kase.prediction,
    twins: [],
  };
  if (run.status === 'blocked') {
    return { ...base, status: 'not-covered', notCovered: run.reason, findings: [], hint: null, divergent: false };
  }
  const j = run.judgement;
  return {
    ...base,
    status: 'judged',
    request: redactRequest(run.exec.request, revealTokens),
    evidence: run.exec.evidence,
    observed: observedOutcome(run.exec.evidence),
    handshake: j.handshake,
    session: j.session,
    findings: j.findings,
    hint: j.hint,
    divergent: isDivergentRun(run, strict),
  };
}

export function summarise(policy: Policy, cases: CaseResult[], unavailable: Unavailable, wallMs: number): Summary {
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const judged = cases.filter((c) => c.status === 'judged');
  const notCovered = cases.filter((c) => c.status === 'not-covered');
  const notCoveredFacts: Summary['notCoveredFacts'] = [];
  for (const [fact, values] of Object.entries(unavailable) as Array<[FactName, string[]]>) {
    for (const value of values) {
      const n = notCovered.filter((c) => c.facts[fact] === value).length;
      notCoveredFacts.push({ fact, value, reason: unavailableReason(fact, value), cases: n });
    }
  }
  const verdicts = (v: 'handshake' | 'session') => judged.map((c) => (c[v] ?? NOT_APPLICABLE) as string);
  return {
    cases: cases.filter((c) => c.source.kind !== 'twin').length,
    judged: judged.length,
    notCovered: notCovered.length,
    twins: cases.filter((c) => c.source.kind === 'twin').length,
    predicted: count(cases.map((c) => c.prediction.outcome)),
    observed: count(judged.map((c) => c.observed ?? 'none')),
    handshakeVerdicts: count(verdicts('handshake')),
    sessionVerdicts: count(verdicts('session')),
    divergences: judged.filter((c) => c.divergent).length,
    vacuous: judged.filter((c) => c.handshake === 'VACUOUS' || c.session === 'VACUOUS').length,
    nonStrict: judged.filter((c) => c.handshake === 'NON-STRICT' || c.session === 'NON-STRICT').length,
    coverage: measureCoverage(policy, judged.map((c) => c.facts)),
    modelCoverage: measureCoverage(policy, cases.map((c) => c.facts)),
    notCoveredFacts,
    declared: declaredContracts(policy),
    wallMs: Math.round(wallMs),
    casesPerSecond: Math.round((judged.length / (wallMs / 1000)) * 10) / 10,
  };
}
