// What the backend checks in the token: algorithms, kid, typ, iss and aud, the claims
// it requires, its clock skew and its size limit. Each rule below is one of docs/init.md
// "Contract or defect".
import { REQUIRABLE_CLAIMS, type Algorithm, type Policy, type RequirableClaim } from '../../model/policy.ts';
import type { Facts } from '../cases/facts-util.ts';
import type { Draft } from './draft.ts';
import { accepted, isFailure, type Observation } from './probe.ts';

export interface SendOptions {
  /** Fields over the draft policy for this probe only (e.g. a skew that puts exp where wanted). */
  policy?: Partial<Policy>;
  alg?: Algorithm;
  userId?: string;
  watchMs?: number;
  atSecondStart?: boolean;
}

/** Sends the canonical case (in the placement found) with `changes`, under the draft policy. */
export type Send = (name: string, changes: Partial<Facts>, options?: SendOptions) => Promise<Observation>;

/** Values the user named on the command line: a named value is one the backend is expected to check. */
export interface Named {
  issuer: boolean;
  audience: boolean;
}

export async function inferAlgorithms(send: Send, draft: Draft): Promise<void> {
  const algorithms: Algorithm[] = ['HS256'];
  const lines = ['probe placement (HS256, the secret) -> accept'];
  for (const alg of ['HS384', 'HS512'] as const) {
    const o = await send(`alg=${alg}`, {}, { alg });
    lines.push(`probe alg=${alg} (the same secret) -> ${o.text}`);
    // The same secret with another HMAC is no weaker a key: an accepted one is contract.
    if (accepted(o)) algorithms.push(alg);
  }
  draft.set('algorithms', algorithms, ...lines);
  draft.answer(await send('alg=not-allowed', { alg: 'not-allowed' }));
  draft.answer(await send('alg=none', { alg: 'none' }));
}

export async function inferKid(send: Send, draft: Draft): Promise<void> {
  const o = draft.answer(await send('kid=unknown', { key: 'unknown-kid' }));
  if (accepted(o)) draft.set('kid', 'ignored', `probe kid=unknown (right secret, a kid naming no key) -> ${o.text}: one key verifies every token`);
  else draft.set('kid', 'required-matched', `probe kid=unknown -> ${o.text}: a kid naming no key is refused`);
}

export async function inferTyp(send: Send, draft: Draft): Promise<void> {
  // The valid token's typ is the one the placement search found accepted (JWT or at+jwt); the wrong one is the other.
  const typ = draft.policy.typ ?? 'JWT';
  const other = typ.toLowerCase() === 'jwt' ? 'at+jwt' : 'JWT';
  const wrong = draft.answer(await send('typ=wrong', { typ: 'wrong' }));
  const missing = draft.answer(await send('typ=missing', { typ: 'missing' }));
  const lines = [`probe typ=${typ} (the valid token) -> accept`, `probe typ=wrong (${other}) -> ${wrong.text}`, `probe typ=missing -> ${missing.text}`];
  draft.evidence.delete('typ');
  if (accepted(wrong) && accepted(missing)) return draft.set('typ', null, ...lines, 'any typ, or none, is accepted: typ is not checked');
  draft.set('typ', typ, ...lines);
  draft.set('claimChecks', { ...draft.policy.claimChecks, typ: 'required' });
  if (accepted(missing)) draft.suspect(`probe typ=missing -> ${missing.text}: typ is compared (at+jwt refused) but a token without one passes; the draft requires it (claimChecks.typ "when-present" if that is your contract)`);
}

/** iss and aud: a value compared (a wrong one refused) is required; an absent one accepted is a suspected defect, not learnt. */
export async function inferIssAud(send: Send, draft: Draft, named: Named): Promise<void> {
  for (const claim of ['iss', 'aud'] as const) {
    const field = claim === 'iss' ? 'issuer' : 'audience';
    const wrong = draft.answer(await send(`${claim}=wrong`, { [claim]: 'wrong' }));
    const missing = draft.answer(await send(`${claim}=missing`, { [claim]: 'missing' }));
    const lines = [`probe ${claim}=wrong -> ${wrong.text}`, `probe ${claim}=missing -> ${missing.text}`];
    let mode: 'required' | 'unchecked' = 'required';
    if (accepted(wrong) && !named[field]) {
      mode = 'unchecked';
      lines.push(`a wrong ${claim} is accepted: not checked (you named no --${field})`);
    } else if (accepted(wrong)) {
      draft.suspect(`probe ${claim}=wrong -> ${wrong.text}: --${field} was named, so the backend is expected to compare it; the draft requires it`);
    } else if (accepted(missing)) {
      draft.suspect(`probe ${claim}=missing -> ${missing.text}: ${claim} is compared (a wrong one refused) but a token without it passes; the draft requires it (claimChecks.${claim} "when-present" if that is your contract)`);
    }
    draft.note(field, `the value of --${field}${named[field] ? '' : ' (not given: the default)'}`);
    draft.note(`claimChecks.${claim}`, ...lines);
    draft.set('claimChecks', { ...draft.policy.claimChecks, [claim]: mode });
  }
}

/** Presence-only claims: required when a token without one is refused (library defaults are contract here). */
export async function inferRequiredClaims(send: Send, draft: Draft): Promise<void> {
  const required: RequirableClaim[] = [];
  const lines: string[] = ['probe placement (the valid token: exp, iat, jti, sub; no nbf) -> accept, so nbf is not required'];
  for (const claim of REQUIRABLE_CLAIMS.filter((c) => c !== 'nbf')) {
    const o = draft.answer(await send(`${claim}=missing`, { [claim]: 'missing' }));
    lines.push(`probe ${claim}=missing -> ${o.text}`);
    // A 5xx still shows the backend cannot do without the claim; its answer is not learnt.
    if (!accepted(o)) required.push(claim);
  }
  draft.set('requiredClaims', required, ...lines);
  draft.answer(await send('exp=past', { exp: 'past' }));
  draft.answer(await send('exp=wrong-type', { exp: 'wrong-type' }));
}

/**
 * The skew: the smallest k for which exp = now - k is refused (tokens forged under a skew
 * of 2k, whose "within skew" exp is now - k). Found to about a second.
 */
export async function inferSkew(send: Send, draft: Draft): Promise<void> {
  const expired = (k: number) => send(`exp=now-${k}s`, { exp: 'within-skew' }, { policy: { clockSkewSeconds: 2 * k }, atSecondStart: true });
  const refused = async (k: number) => !accepted(await expired(k));
  const most = 600;
  const oldest = await expired(most);
  if (accepted(oldest)) {
    draft.suspect(`probe exp=now-${most}s -> ${oldest.text}: a token expired ten minutes ago passes; the draft keeps a ${draft.policy.clockSkewSeconds} s skew`);
    return draft.note('clockSkewSeconds', `probe exp=now-${most}s -> ${oldest.text} (kept the default)`);
  }
  let lo = 0; // exp = now - lo: not known refused
  let hi = most; // refused
  if (await refused(0)) hi = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await refused(mid)) hi = mid;
    else lo = mid;
  }
  draft.set('clockSkewSeconds', hi, `probes exp=now-k (each forged at the start of a second): accepted up to k=${hi - 1} s, refused from k=${hi} s`);
  draft.answer(await send('nbf=future', { nbf: 'future' }));
}

const SIZES = [2048, 6144, 10240];

/** The size limit: padded tokens below Node's 16 KiB header limit (that limit is the server's, not a token policy). */
export async function inferSizeLimit(send: Send, draft: Draft): Promise<void> {
  const sized = (pad: number, name = `size=${pad}`) => send(name, { structure: 'oversize' }, { policy: { maxTokenBytes: pad - 512 } });
  let below: Observation | null = null;
  for (const pad of SIZES) {
    const o = await sized(pad);
    if (accepted(o)) {
      below = o;
      continue;
    }
    let [lo, hi] = [below ? below.tokenBytes! : 0, o];
    let loPad = below ? SIZES[SIZES.indexOf(pad) - 1]! : 512;
    let hiPad = pad;
    while (hiPad - loPad > 192) {
      const mid = Math.floor((loPad + hiPad) / 2);
      const m = await sized(mid);
      if (accepted(m)) [loPad, lo] = [mid, m.tokenBytes!];
      else [hiPad, hi] = [mid, m];
    }
    const limit = Math.max(256, lo);
    draft.set('maxTokenBytes', limit, `probes size=N: a ${lo}-byte token accepted, a ${hi.tokenBytes}-byte one -> ${hi.text}`);
    if (isFailure(hi)) draft.suspect(`probe size=${hiPad} -> ${hi.text}: a large token answered with a server error; the draft keeps ${draft.policy.outcomes['token-oversize']}`);
    else if (!hi.outcome.startsWith('accept')) draft.answer(hi);
    return;
  }
  draft.set('maxTokenBytes', null, `probe size=${SIZES.at(-1)} -> ${below?.text} (a ${below?.tokenBytes}-byte token): no limit of its own below Node's 16 KiB header limit`);
}
