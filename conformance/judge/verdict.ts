// Verdicts (model.md "Verdicts"), in rising severity. VACUOUS ranks highest: a case
// without wire evidence proves nothing, whatever else passed. WRONG-REASON (run --logs):
// the backend's decision log states another reason than the model's for the case.
export const VERDICTS = ['OK', 'NON-STRICT', 'WRONG-REASON', 'WRONG-CODE', 'FAILED', 'FAILED-SECURITY', 'VACUOUS'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A session verdict when no session was due and none happened (a refused handshake). */
export const NOT_APPLICABLE = 'N/A';
export type SessionVerdict = Verdict | typeof NOT_APPLICABLE;

export type Phase = 'handshake' | 'session';

export function severity(v: SessionVerdict): number {
  return v === NOT_APPLICABLE ? -1 : VERDICTS.indexOf(v);
}

export function worst<V extends SessionVerdict>(verdicts: readonly V[], fallback: V): V {
  return verdicts.reduce((a, b) => (severity(b) > severity(a) ? b : a), fallback);
}

/** Whether a verdict makes the run fail: NON-STRICT only under --strict. */
export function isDivergent(v: SessionVerdict, strict: boolean): boolean {
  if (v === 'OK' || v === NOT_APPLICABLE) return false;
  return v !== 'NON-STRICT' || strict;
}
