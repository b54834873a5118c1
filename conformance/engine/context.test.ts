// The expiry premise of a case: a run that lasted until its token's exp + skew proves
// nothing about a session predicted to end otherwise (it is made again, not judged).
import { describe, expect, it } from 'vitest';
import { profilePolicy } from '../../model/policy.ts';
import type { JudgedRun } from '../judge/case-run.ts';
import { outlivedItsToken } from './context.ts';

const policy = { ...profilePolicy('default'), clockSkewSeconds: 4 };

/** Only what the rule reads: the session and exp facts, the token's exp and when the run ended. */
function run(session: string, expSeconds: number | null, endedAtMs: number, expFact = 'within-skew'): JudgedRun {
  const to = endedAtMs - performance.timeOrigin;
  return { kase: { facts: { session, exp: expFact } }, exec: { request: { expSeconds } }, window: { from: to - 100, to } } as unknown as JudgedRun;
}

describe('outlivedItsToken', () => {
  const exp = 1_800_000_000; // exp + skew = 1_800_000_004 s
  const expiryMs = (exp + 4) * 1000;

  it('a client-closes run that ended well before exp + skew kept its premise', () => {
    expect(outlivedItsToken(run('client-closes', exp, expiryMs - 2000), policy)).toBe(false);
  });

  it('a client-closes run that ended at or past exp + skew (less 500 ms) broke it', () => {
    expect(outlivedItsToken(run('client-closes', exp, expiryMs - 400), policy)).toBe(true);
    expect(outlivedItsToken(run('user-revoked', exp, expiryMs + 3000), policy)).toBe(true);
  });

  it('a token-expires run is meant to reach expiry; a token without exp, or a policy without close at exp, has no such premise', () => {
    expect(outlivedItsToken(run('token-expires', exp, expiryMs + 3000), policy)).toBe(false);
    expect(outlivedItsToken(run('client-closes', null, expiryMs + 3000), policy)).toBe(false);
    expect(outlivedItsToken(run('client-closes', exp, expiryMs + 3000), { ...policy, session: { ...policy.session, closeAtExp: false } })).toBe(false);
  });

  it('an expired token (exp=past) has no such premise: it is refused whenever it is sent, and its divergence (an accept) is judged', () => {
    expect(outlivedItsToken(run('client-closes', exp, expiryMs + 3000, 'past'), policy)).toBe(false);
    expect(outlivedItsToken(run('client-closes', exp, expiryMs + 3000, 'future'), policy)).toBe(true);
  });
});
