// A broken metamorphic relation (relations/relations.ts) as a finding of the case: an
// outcome that is an accept on the case's side only is a security failure.
import type { Facts } from '../../model/facts.ts';
import { observedOutcome, type Evidence } from '../drive/evidence.ts';
import { relationById, type RelationBreak, type RelationId } from '../relations/relations.ts';
import type { Finding } from './context.ts';

export function relationFinding(b: RelationBreak): Finding {
  return {
    check: b.relation,
    phase: 'handshake',
    verdict: b.primary === 'accept' ? 'FAILED-SECURITY' : 'FAILED',
    message: b.message,
    outcomes: { primary: b.primary, twin: b.twin },
  };
}

/** Compares what was observed of a case and of its twin under one relation: the finding when it breaks. */
export function compareTwin(relation: RelationId, primary: Evidence, twin: Evidence, facts: Facts): Finding | null {
  const broken = relationById(relation).compare(observedOutcome(primary), observedOutcome(twin), facts);
  return broken ? relationFinding(broken) : null;
}
