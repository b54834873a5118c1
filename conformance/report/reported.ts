// The divergences a CI system is told about, one entry each, with the level it is
// shown at: errors fail the run; NON-STRICT (a SHOULD missed, not failing without
// --strict) and flaky ones are warnings. WRONG-CODE is an error: it fails the run.
import type { Divergence } from '../result.ts';
import { isWarningOnly, type CaseEntry, type CompletedDocument } from './document.ts';
import { gateStatus } from './gate.ts';

export interface Reported {
  key: string;
  kase: CaseEntry | null;
  divergence: Divergence | null;
  level: 'error' | 'warning';
  gate: 'new' | 'known' | 'waived';
  ruleId: string;
  /** One line: the hint, else the first finding. */
  title: string;
  verdict: string;
  expected: string;
  observed: string;
}

export function reportedDivergences(doc: CompletedDocument): Reported[] {
  const byKey = new Map(doc.cases.map((c) => [c.key, c]));
  const out: Reported[] = doc.divergences.map((d) => {
    const kase = byKey.get(d.key) ?? null;
    return {
      key: d.key,
      kase,
      divergence: d,
      level: isWarningOnly(d) ? 'warning' : 'error',
      gate: gateStatus(doc, d),
      ruleId: d.hint?.id ?? kase?.findings[0]?.check ?? 'divergence',
      title: d.hint?.text ?? kase?.findings[0]?.message ?? `expected ${d.expected}, observed ${d.observed}`,
      verdict: `${d.handshake}/${d.session}`,
      expected: d.expected,
      observed: d.observed,
    };
  });
  const listed = new Set(doc.divergences.map((d) => d.key));
  for (const c of doc.cases) {
    const nonStrict = c.verdict.handshake === 'NON-STRICT' || c.verdict.session === 'NON-STRICT';
    if (!nonStrict || listed.has(c.key)) continue;
    const finding = c.findings.find((f) => f.verdict === 'NON-STRICT') ?? c.findings[0];
    out.push({
      key: c.key,
      kase: c,
      divergence: null,
      level: 'warning',
      gate: 'new',
      ruleId: c.hint?.id ?? finding?.check ?? 'non-strict',
      title: c.hint?.text ?? finding?.message ?? 'a SHOULD of the policy missed',
      verdict: `${c.verdict.handshake}/${c.verdict.session}`,
      expected: `${c.expected.outcome} (${c.expected.reason})`,
      observed: c.observed ?? '-',
    });
  }
  return out;
}
