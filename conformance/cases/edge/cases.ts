// The edge cases of a run: the valid case plus one near miss of a compared value (one
// case per spelling), and a request without a credential that carries one proxy
// identity header naming a real user (one case per header). Deterministic: the same
// policy and config give the same cases, whatever the seed.
import { predict } from '../../../model/oracle.ts';
import type { Policy } from '../../../model/policy.ts';
import type { Case } from '../case.ts';
import type { Facts } from '../facts-util.ts';
import { identityHeaders } from './identity-headers.ts';
import { spelledFacts } from './spellings.ts';

/** The spelling that marks an identity-header case (the header travels as noise). */
export const IDENTITY_SPELLING = 'identity';

export function edgeCases(policy: Policy, canonical: Facts, extraIdentityHeaders: ReadonlyArray<readonly [string, string]> = []): Case[] {
  const spelled = spelledFacts(policy, canonical);
  const identity = identityHeaders(extraIdentityHeaders).map(([name, value]) => ({
    spelling: `${IDENTITY_SPELLING}:${name.toLowerCase()}`,
    facts: {
      ...canonical,
      placement: 'none',
      spelling: `${IDENTITY_SPELLING}:${name.toLowerCase()}`,
      noise: { headers: [[name, value]], query: [], headerCase: 'canonical', reverseHeaders: false },
    } satisfies Facts,
  }));
  return [...spelled, ...identity].map(({ spelling, facts }) => ({
    key: `edge:${spelling}`,
    source: { kind: 'edge', spelling },
    facts,
    prediction: predict(policy, facts),
  }));
}

/** What a case needs its subject to be: a near-miss user id is spelled from an active user's. */
export function subjectKind(facts: Facts): Facts['user'] {
  return facts.user === 'missing' && facts.spelling?.startsWith('sub:') ? 'active' : facts.user;
}
