// Which divergence is "the same one" across runs (--baseline, waivers, diff, merge).
// Model paths are named by their path key, which no seed changes. Fuzz cases (and their
// twins) are named by their facts, so the same facts drawn under another seed match.
// A fuzz divergence whose exact facts were not drawn before still matches a baseline
// divergence of the same kind: the same model trace and reason, verdicts and hint, and
// the same observed outcome — where FAILED-SECURITY already says the client was let in,
// however it was let in (accepted, or accepted and closed later).
import type { CaseSource } from '../cases/case.ts';
import type { Facts } from '../cases/facts-util.ts';
import type { CaseEntry } from './document.ts';

/** Canonical JSON: keys sorted at every level, so equal facts give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function caseIdentity(c: { key: string; source: CaseSource; facts: Facts }): string {
  if (c.source.kind === 'canary' || c.source.kind === 'path') return c.key;
  const relation = c.source.kind === 'twin' ? `~${c.source.relation}` : '';
  return `facts${relation}:${stableJson(c.facts)}`;
}

/** Whether a case comes from fuzzing (its exact facts depend on the seed). */
export const isSeedDependent = (c: { source: CaseSource }) => c.source.kind === 'fuzz' || c.source.kind === 'twin' || c.source.kind === 'replay';

/** The kind of a divergence: what a report shows about it, apart from the exact facts. */
export function divergenceKind(c: Pick<CaseEntry, 'expected' | 'observed' | 'verdict' | 'hint'>): string {
  const observed = c.verdict.handshake === 'FAILED-SECURITY' ? 'let in' : (c.observed ?? '-');
  return [c.expected.trace.join('>'), c.expected.reason, observed, `${c.verdict.handshake}/${c.verdict.session}`, c.hint?.id ?? '-'].join('|');
}
