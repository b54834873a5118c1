// The CI gate on top of a run's verdicts: divergences already in a baseline report are
// known, divergences covered by a waiver in the config are waived, and only the rest
// fail the run. An expired waiver fails it too, so waivers cannot rot silently.
import type { Divergence } from '../result.ts';
import { isCompleted, type CaseEntry, type CompletedDocument, type ReportDocument } from './document.ts';
import { caseIdentity, divergenceKind, isSeedDependent } from './identity.ts';

export interface Waiver {
  /** A case key or identity (`path:...`, `facts:{...}`); a trailing `*` matches a prefix. */
  case?: string;
  /** A hint id (`sig-403`, `alg-none`, ...): every divergence with that hint. */
  hint?: string;
  /** Why the divergence is accepted for now (shown in every report). */
  why: string;
  /** Last day the waiver holds, `YYYY-MM-DD` (UTC); after it the run fails. */
  until: string;
}

export interface GateReport {
  /** The baseline report.json, when one was given. */
  baseline: string | null;
  known: Array<{ key: string; baselineKey: string; by: 'identity' | 'kind' }>;
  waived: Array<{ key: string; waiver: Waiver }>;
  expiredWaivers: Waiver[];
  /** Keys of the divergences neither known nor waived: these fail the run. */
  newDivergences: string[];
  passed: boolean;
}

export interface GateInput {
  baseline?: { file: string; doc: ReportDocument };
  waivers: Waiver[];
  /** Today as YYYY-MM-DD (UTC). */
  today: string;
}

export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

export function waiverMatches(w: Waiver, key: string, identity: string, hintId: string | null): boolean {
  const caseOk = w.case === undefined || (w.case.endsWith('*') ? key.startsWith(w.case.slice(0, -1)) || identity.startsWith(w.case.slice(0, -1)) : w.case === key || w.case === identity);
  const hintOk = w.hint === undefined || w.hint === hintId;
  return caseOk && hintOk;
}

export function describeWaiver(w: Waiver): string {
  const what = [w.case !== undefined ? `case ${w.case}` : null, w.hint !== undefined ? `hint ${w.hint}` : null].filter(Boolean).join(' with ');
  return `${what} until ${w.until} (${w.why})`;
}

export function applyGate(doc: CompletedDocument, input: GateInput): GateReport {
  const byKey = new Map(doc.cases.map((c) => [c.key, c]));
  const known = new Map<string, { baselineKey: string; by: 'identity' | 'kind' }>();
  if (input.baseline && isCompleted(input.baseline.doc)) {
    const base = input.baseline.doc;
    const baseCases = new Map(base.cases.map((c) => [c.key, c]));
    const baseDivergent = base.divergences.map((d) => baseCases.get(d.key)).filter((c): c is CaseEntry => c !== undefined);
    const byIdentity = new Map(baseDivergent.map((c) => [caseIdentity(c), c.key]));
    const byKind = new Map(baseDivergent.filter(isSeedDependent).map((c) => [divergenceKind(c), c.key]));
    for (const d of doc.divergences) {
      const c = byKey.get(d.key);
      if (!c) continue;
      const exact = byIdentity.get(caseIdentity(c));
      const similar = isSeedDependent(c) ? byKind.get(divergenceKind(c)) : undefined;
      if (exact !== undefined) known.set(d.key, { baselineKey: exact, by: 'identity' });
      else if (similar !== undefined) known.set(d.key, { baselineKey: similar, by: 'kind' });
    }
  }
  const waived: GateReport['waived'] = [];
  const expiredWaivers = input.waivers.filter((w) => w.until < input.today);
  const live = input.waivers.filter((w) => w.until >= input.today);
  const newDivergences: string[] = [];
  for (const d of doc.divergences) {
    if (known.has(d.key)) continue;
    const c = byKey.get(d.key);
    const waiver = live.find((w) => waiverMatches(w, d.key, c ? caseIdentity(c) : d.key, d.hint?.id ?? null));
    if (waiver) waived.push({ key: d.key, waiver });
    else newDivergences.push(d.key);
  }
  const vacuousOutside = !doc.passed && doc.divergences.length === 0;
  return {
    baseline: input.baseline?.file ?? null,
    known: [...known].map(([key, v]) => ({ key, ...v })),
    waived,
    expiredWaivers,
    newDivergences,
    passed: newDivergences.length === 0 && expiredWaivers.length === 0 && !vacuousOutside,
  };
}

/** The document with the gate applied: `exitCode` is what the CLI exits with. */
export function gated(doc: ReportDocument, input: GateInput | null): ReportDocument {
  if (!isCompleted(doc) || !input || (!input.baseline && input.waivers.length === 0)) return doc;
  const gate = applyGate(doc, input);
  // An interrupted run stays interrupted, whatever the gate says of its divergences.
  return { ...doc, gate, exitCode: doc.partial ? 130 : gate.passed ? 0 : 1 };
}

/** Where a divergence stands under the gate (no gate: every divergence is new). */
export function gateStatus(doc: ReportDocument, d: Pick<Divergence, 'key'>): 'new' | 'known' | 'waived' {
  if (doc.gate?.known.some((k) => k.key === d.key)) return 'known';
  if (doc.gate?.waived.some((w) => w.key === d.key)) return 'waived';
  return 'new';
}
