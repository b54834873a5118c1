// `diff A B`: two runs side by side (two versions of a backend, or two policies):
// the outcome counts, and every case whose outcome or verdict changed, grouped by the
// model's reason. Cases are matched by identity (identity.ts), so runs with other seeds
// still compare on their model paths; worse means a higher verdict severity in B.
import { severity, type SessionVerdict } from '../judge/verdict.ts';
import type { CaseEntry, CompletedDocument } from './document.ts';
import { caseIdentity, divergenceKind } from './identity.ts';

export interface CaseChange {
  identity: string;
  keyA: string;
  keyB: string;
  reason: string;
  description: string;
  from: string;
  to: string;
  worse: boolean;
}

export interface RunDiff {
  outcomes: Array<{ outcome: string; a: number; b: number }>;
  verdicts: Array<{ verdict: string; a: number; b: number }>;
  changes: CaseChange[];
  /** Divergences of B matching no case of A, and of no kind A diverged with. */
  newDivergences: Array<{ key: string; description: string; verdict: string; hint: string | null }>;
  matched: number;
  onlyA: number;
  onlyB: number;
  worse: boolean;
}

const worstOf = (c: CaseEntry) => Math.max(severity((c.verdict.handshake ?? 'N/A') as SessionVerdict), severity((c.verdict.session ?? 'N/A') as SessionVerdict));
const state = (c: CaseEntry) => (c.status === 'judged' ? `${c.observed} ${c.verdict.handshake}/${c.verdict.session}` : 'not covered');

function sideBySide(a: Record<string, number>, b: Record<string, number>) {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().map((k) => ({ k, a: a[k] ?? 0, b: b[k] ?? 0 }));
}

export function diffReports(a: CompletedDocument, b: CompletedDocument): RunDiff {
  const inA = new Map(a.cases.map((c) => [caseIdentity(c), c]));
  const changes: CaseChange[] = [];
  let matched = 0;
  const unmatchedB: CaseEntry[] = [];
  for (const cb of b.cases) {
    const id = caseIdentity(cb);
    const ca = inA.get(id);
    if (!ca) {
      unmatchedB.push(cb);
      continue;
    }
    matched += 1;
    if (state(ca) === state(cb) && ca.divergent === cb.divergent) continue;
    const judgedBoth = ca.status === 'judged' && cb.status === 'judged';
    const worse = judgedBoth && (worstOf(cb) > worstOf(ca) || (cb.divergent && !ca.divergent));
    changes.push({ identity: id, keyA: ca.key, keyB: cb.key, reason: cb.expected.reason, description: cb.description, from: state(ca), to: state(cb), worse });
  }
  const kindsA = new Set(a.cases.filter((c) => c.divergent).map(divergenceKind));
  const newDivergences = unmatchedB
    .filter((c) => c.divergent && !kindsA.has(divergenceKind(c)))
    .map((c) => ({ key: c.key, description: c.description, verdict: `${c.verdict.handshake}/${c.verdict.session}`, hint: c.hint?.id ?? null }));
  const idsB = new Set(b.cases.map(caseIdentity));
  return {
    outcomes: sideBySide(a.summary.observed, b.summary.observed).map(({ k, a, b }) => ({ outcome: k, a, b })),
    verdicts: sideBySide(a.summary.handshakeVerdicts, b.summary.handshakeVerdicts).map(({ k, a, b }) => ({ verdict: k, a, b })),
    changes: changes.sort((x, y) => x.reason.localeCompare(y.reason) || x.keyB.localeCompare(y.keyB, 'en', { numeric: true })),
    newDivergences,
    matched,
    onlyA: a.cases.filter((c) => !idsB.has(caseIdentity(c))).length,
    onlyB: unmatchedB.length,
    worse: changes.some((c) => c.worse) || newDivergences.length > 0,
  };
}

export function formatDiff(d: RunDiff, nameA: string, nameB: string): string {
  const w = Math.max(12, ...d.outcomes.map((o) => o.outcome.length), ...d.verdicts.map((v) => v.verdict.length));
  const row = (k: string, a: number, b: number) => `  ${k.padEnd(w)} ${String(a).padStart(7)} ${String(b).padStart(7)} ${b - a > 0 ? `+${b - a}` : b - a === 0 ? '' : String(b - a)}`;
  const lines = [`A: ${nameA}`, `B: ${nameB}`, '', `  ${'observed'.padEnd(w)} ${'A'.padStart(7)} ${'B'.padStart(7)}`];
  for (const o of d.outcomes) lines.push(row(o.outcome, o.a, o.b));
  lines.push('', `  ${'handshake'.padEnd(w)} ${'A'.padStart(7)} ${'B'.padStart(7)}`);
  for (const v of d.verdicts) lines.push(row(v.verdict, v.a, v.b));
  lines.push('', `cases matched by identity: ${d.matched}; only in A: ${d.onlyA}; only in B: ${d.onlyB}`);
  let reason = '';
  if (d.changes.length) lines.push(`changed outcome or verdict: ${d.changes.length}`);
  for (const c of d.changes) {
    if (c.reason !== reason) lines.push(`  ${(reason = c.reason)}:`);
    lines.push(`    ${c.worse ? 'WORSE ' : 'changed'} ${c.keyB}${c.keyA !== c.keyB ? ` (A: ${c.keyA})` : ''}: ${c.from} -> ${c.to}   ${c.description}`);
  }
  if (d.newDivergences.length) lines.push(`new divergences in B (no matching case or kind in A): ${d.newDivergences.length}`);
  for (const n of d.newDivergences) lines.push(`  WORSE  ${n.key}: ${n.verdict} ${n.description}${n.hint ? ` [${n.hint}]` : ''}`);
  lines.push(d.worse ? 'result: WORSE (B is worse than A)' : d.changes.length ? 'result: changed, nothing worse' : 'result: same outcomes and verdicts');
  return `${lines.join('\n')}\n`;
}
