// Verdicts and hints over crafted wire evidence: no network, one aspect per test.
import { describe, expect, it } from 'vitest';
import { predict } from '../../model/oracle.ts';
import { CANONICAL_FACTS, type Facts } from '../../model/facts.ts';
import { profilePolicy, resolvePolicy, type Policy } from '../../model/policy.ts';
import { emptyEvidence, type Evidence } from '../drive/evidence.ts';
import type { Finding } from './context.ts';
import { judge } from './judge.ts';
import { RELATIONS } from '../relations/relations.ts';
import { compareTwin } from './relations.ts';

const base = profilePolicy('default');
const FP = 'f1ngerpr1nt00000';

function evidence(patch: Partial<Evidence>): Evidence {
  return { ...emptyEvidence(1_900_000_000_000), connect: { ok: true, ms: 1 }, ...patch };
}
const http = (status: number, headers: Record<string, string> = {}, body = '{}') => evidence({ response: { status, statusText: '', headers, body, ms: 3 } });
const upgraded = (close: Evidence['close'] = { code: 1000, reason: '', by: 'client', ms: 200 }, patch: Partial<Evidence> = {}) =>
  evidence({ upgraded: { ms: 2, protocol: '', headers: {} }, close, ...patch });

function verdicts(facts: Partial<Facts>, e: Evidence, policy: Policy = base, relationFindings: Finding[] = []) {
  const f = { ...CANONICAL_FACTS, ...facts };
  const j = judge(
    { policy, facts: f, prediction: predict(policy, f), evidence: e, expSeconds: null, tokenPresented: f.placement !== 'none', timing: { handshakeDeadlineMs: 1500, expiryToleranceMs: 1500 } },
    FP,
    relationFindings,
  );
  return { handshake: j.handshake, session: j.session, hint: j.hint?.id, text: j.hint?.text ?? '' };
}

const BEARER_INVALID = { 'www-authenticate': 'Bearer realm="ws", error="invalid_token"' };

describe('handshake verdicts', () => {
  it('OK when the predicted status comes with a proper challenge', () => {
    expect(verdicts({ alg: 'none' }, http(401, BEARER_INVALID))).toMatchObject({ handshake: 'OK', session: 'N/A', hint: undefined });
    expect(verdicts({ placement: 'none', origin: 'foreign' }, http(403))).toMatchObject({ handshake: 'OK' });
  });

  it('a 401 without WWW-Authenticate is NON-STRICT in default, FAILED in rfc-strict', () => {
    expect(verdicts({ alg: 'none' }, http(401)).handshake).toBe('NON-STRICT');
    expect(verdicts({ alg: 'none' }, http(401), profilePolicy('rfc-strict')).handshake).toBe('FAILED');
  });

  it('error="invalid_token" only when a token was presented (RFC 6750 3.1)', () => {
    expect(verdicts({ scheme: 'other' }, http(401, BEARER_INVALID)).handshake).toBe('NON-STRICT');
    expect(verdicts({ alg: 'none' }, http(401, { 'www-authenticate': 'Bearer realm="ws"' })).handshake).toBe('NON-STRICT');
  });

  it('403 for a bad signature is WRONG-CODE with the 401/403 confusion hint', () => {
    expect(verdicts({ signature: 'wrong-key' }, http(403))).toMatchObject({ handshake: 'WRONG-CODE', hint: 'sig-403' });
  });

  it('403 for a non-JWT string names the fake-token failure', () => {
    expect(verdicts({ structure: 'not-jwt' }, http(403))).toMatchObject({ handshake: 'WRONG-CODE', hint: 'fake-token-403' });
  });

  it('500 for a bad token is FAILED', () => {
    expect(verdicts({ exp: 'past' }, http(500)).handshake).toBe('FAILED');
  });

  it('accepting a defective token is FAILED-SECURITY, with the matching field failure', () => {
    expect(verdicts({ alg: 'none' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'alg-none' });
    expect(verdicts({ exp: 'past' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'no-exp' });
    expect(verdicts({ iss: 'wrong' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'no-iss-aud' });
    expect(verdicts({ user: 'missing' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'missing-user-accept' });
    expect(verdicts({ user: 'inactive' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'inactive-accept' });
    expect(verdicts({ origin: 'foreign' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'no-origin-check' });
  });

  it('101 then 1008 where a handshake reject was due is FAILED: validation deferred past the handshake', () => {
    const e = upgraded({ code: 1008, reason: 'alg-none', by: 'server', ms: 20 });
    expect(verdicts({ alg: 'none' }, e)).toMatchObject({ handshake: 'FAILED', hint: 'accept-then-1008' });
  });

  it('the canary rejected names a signing key mismatch with the key fingerprint', () => {
    const v = verdicts({}, http(401, BEARER_INVALID));
    expect(v).toMatchObject({ handshake: 'FAILED', hint: 'secret-mismatch' });
    expect(v.text).toContain(FP);
  });

  it('stalls: released by the deadline is OK, a hang is FAILED, an accept is FAILED-SECURITY', () => {
    expect(verdicts({ latency: 'stalled' }, evidence({ released: { ms: 1000, how: 'ECONNRESET' } })).handshake).toBe('OK');
    expect(verdicts({ latency: 'stalled' }, evidence({ hung: { ms: 1500 } }))).toMatchObject({ handshake: 'FAILED', hint: 'no-deadline' });
    expect(verdicts({ latency: 'stalled' }, upgraded())).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'slow-auth-fail-open' });
  });

  it('no TCP connection is VACUOUS, whatever was predicted', () => {
    const e = { ...emptyEvidence(0), connect: { ok: false as const, error: 'ECONNREFUSED' } };
    expect(verdicts({}, e).handshake).toBe('VACUOUS');
    expect(verdicts({ alg: 'none' }, e).handshake).toBe('VACUOUS');
  });
});

describe('session verdicts', () => {
  it('an accepted session closed by the client is OK; closed by the server is FAILED', () => {
    expect(verdicts({}, upgraded())).toMatchObject({ handshake: 'OK', session: 'OK' });
    expect(verdicts({}, upgraded({ code: 1008, reason: '', by: 'server', ms: 50 })).session).toBe('FAILED');
  });

  it('revocation: 1008 is OK, 1011 is WRONG-CODE, no close is FAILED', () => {
    const rev = { session: 'user-revoked' } as const;
    expect(verdicts(rev, upgraded({ code: 1008, reason: '', by: 'server', ms: 300 })).session).toBe('OK');
    expect(verdicts(rev, upgraded({ code: 1011, reason: '', by: 'server', ms: 300 })).session).toBe('WRONG-CODE');
    expect(verdicts(rev, upgraded())).toMatchObject({ session: 'FAILED', hint: 'no-revocation' });
  });

  it('deletion and role removal while connected: 1008 is OK; a deleted user kept connected is named, a role removal ignored is no-revocation', () => {
    expect(verdicts({ session: 'user-deleted' }, upgraded({ code: 1008, reason: '', by: 'server', ms: 300 })).session).toBe('OK');
    expect(verdicts({ session: 'user-deleted' }, upgraded())).toMatchObject({ session: 'FAILED', hint: 'deleted-kept-connected' });
    expect(verdicts({ session: 'user-role-removed' }, upgraded({ code: 1008, reason: '', by: 'server', ms: 300 })).session).toBe('OK');
    expect(verdicts({ session: 'user-role-removed' }, upgraded())).toMatchObject({ session: 'FAILED', hint: 'no-revocation' });
  });

  it('an invalid first-message auth answered and kept open is FAILED-SECURITY', () => {
    const e = upgraded(undefined, { frames: [{ ms: 10, text: '{"type":"auth-ok"}' }], actions: [{ ms: 5, action: 'auth message sent' }] });
    const firstMessage = resolvePolicy({ placements: { 'first-message': true } });
    expect(verdicts({ placement: 'first-message', alg: 'none' }, e, firstMessage)).toMatchObject({ handshake: 'OK', session: 'FAILED-SECURITY', hint: 'alg-none' });
  });
});

describe('declared outcomes beyond 401/403', () => {
  const declared = resolvePolicy({ outcomes: { 'alg-none': 'close-4401', 'token-oversize': 'reject-431', 'session-user-revoked': 'close-4003' } });
  it('an accept-then-close the policy declares is checked, not flagged: its code OK, another WRONG-CODE, none FAILED-SECURITY', () => {
    const closed = (code: number) => upgraded({ code, reason: 'alg-none', by: 'server', ms: 20 });
    expect(verdicts({ alg: 'none' }, closed(4401), declared)).toMatchObject({ handshake: 'OK', session: 'OK', hint: undefined });
    expect(verdicts({ alg: 'none' }, closed(1008), declared)).toMatchObject({ handshake: 'OK', session: 'WRONG-CODE' });
    expect(verdicts({ alg: 'none' }, upgraded(), declared)).toMatchObject({ session: 'FAILED-SECURITY' });
    expect(verdicts({ alg: 'none' }, http(401, BEARER_INVALID), declared).handshake).toBe('FAILED');
  });
  it('a declared status is the one due; 401 or 403 in its place is WRONG-CODE', () => {
    expect(verdicts({ structure: 'oversize' }, http(431), declared).handshake).toBe('OK');
    expect(verdicts({ structure: 'oversize' }, http(401, BEARER_INVALID), declared).handshake).toBe('WRONG-CODE');
    expect(verdicts({ structure: 'oversize' }, http(413), declared).handshake).toBe('FAILED');
  });
  it('a declared session close code', () => {
    const rev = { session: 'user-revoked' } as const;
    expect(verdicts(rev, upgraded({ code: 4003, reason: '', by: 'server', ms: 300 }), declared).session).toBe('OK');
    expect(verdicts(rev, upgraded({ code: 1008, reason: '', by: 'server', ms: 300 }), declared).session).toBe('WRONG-CODE');
  });
});

describe('relations', () => {
  it('noise invariance: an outcome changed by a bypass header is FAILED-SECURITY with the header-bypass hint', () => {
    const facts: Facts = { ...CANONICAL_FACTS, signature: 'stripped', noise: { headers: [['X-E2E-Test', 'true']], query: [], headerCase: 'canonical', reverseHeaders: false } };
    const noise = RELATIONS.find((r) => r.id === 'noise-invariance')!;
    expect(noise.twin(facts, [])?.noise.headers).toEqual([]);
    const finding = compareTwin('noise-invariance', upgraded(), http(401, BEARER_INVALID), facts)!;
    expect(finding.verdict).toBe('FAILED-SECURITY');
    const v = verdicts(facts, upgraded(), base, [finding]);
    expect(v).toMatchObject({ handshake: 'FAILED-SECURITY', hint: 'header-bypass' });
    expect(v.text).toContain('X-E2E-Test: true');
  });

  it('placement equivalence: a twin in the Authorization header, only for enabled handshake placements', () => {
    const rel = RELATIONS.find((r) => r.id === 'placement-equivalence')!;
    const f = { ...CANONICAL_FACTS, placement: 'cookie' as const };
    expect(rel.twin(f, ['authorization-header', 'cookie'])?.placement).toBe('authorization-header');
    expect(rel.twin({ ...f, placement: 'query' }, ['authorization-header', 'cookie'])).toBeNull();
    expect(compareTwin('placement-equivalence', http(401), http(401), f)).toBeNull();
    expect(compareTwin('placement-equivalence', upgraded(), http(401), f)?.verdict).toBe('FAILED-SECURITY');
    expect(compareTwin('placement-equivalence', http(401), upgraded(), f)?.verdict).toBe('FAILED');
  });
});

describe('judged on what a browser page sees (--client browser)', () => {
  const page = (facts: Partial<Facts>, e: Evidence) => {
    const f = { ...CANONICAL_FACTS, placement: 'cookie' as const, ...facts };
    const j = judge(
      { policy: base, facts: f, prediction: predict(base, f), evidence: e, expSeconds: null, tokenPresented: true, timing: { handshakeDeadlineMs: 1500, expiryToleranceMs: 1500 }, client: 'browser' },
      FP,
    );
    return { handshake: j.handshake, session: j.session };
  };

  it('what a page cannot see is OK: 403 for 401, a 500, a missing WWW-Authenticate, a release where 401 was due', () => {
    expect(page({ signature: 'wrong-key' }, http(403)).handshake).toBe('OK');
    expect(page({ exp: 'past' }, http(500)).handshake).toBe('OK');
    expect(page({ alg: 'none' }, http(401)).handshake).toBe('OK');
    expect(page({ alg: 'none' }, evidence({ released: { ms: 900, how: 'ECONNRESET' } })).handshake).toBe('OK');
  });

  it('what a page sees still diverges: an accept where a refusal was due, 101 then 1008, a hang, a close 1011 for 1008', () => {
    expect(page({ alg: 'none' }, upgraded()).handshake).toBe('FAILED-SECURITY');
    expect(page({ alg: 'none' }, upgraded({ code: 1008, reason: 'alg-none', by: 'server', ms: 20 })).handshake).toBe('FAILED');
    expect(page({ latency: 'stalled' }, evidence({ hung: { ms: 1500 } })).handshake).toBe('FAILED');
    expect(page({ session: 'user-revoked' }, upgraded({ code: 1011, reason: '', by: 'server', ms: 300 })).session).toBe('WRONG-CODE');
  });

  it('a relation broken only between 401 and 403 is invisible; one between accept and a refusal is not', () => {
    const facts: Facts = { ...CANONICAL_FACTS, signature: 'stripped', noise: { headers: [['X-E2E-Test', 'true']], query: [], headerCase: 'canonical', reverseHeaders: false } };
    const hidden = compareTwin('noise-invariance', http(403), http(401, BEARER_INVALID), facts)!;
    const shown = compareTwin('noise-invariance', upgraded(), http(401, BEARER_INVALID), facts)!;
    const run = (finding: Finding) =>
      judge({ policy: base, facts, prediction: predict(base, facts), evidence: http(401, BEARER_INVALID), expSeconds: null, tokenPresented: true, timing: { handshakeDeadlineMs: 1500, expiryToleranceMs: 1500 }, client: 'browser' }, FP, [finding]).handshake;
    expect(run(hidden)).toBe('OK');
    expect(run(shown)).toBe('FAILED-SECURITY');
  });
});
