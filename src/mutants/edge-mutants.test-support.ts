// The wire differences of the mutants only the edge cases reach (mutants.test.ts runs
// them with the others): the same request, a different answer on the wire.
import { FlattenedSign } from 'jose';
import { expect } from 'vitest';
import { AUDIENCE, ALLOWED_ORIGIN, ISSUER, SECRET, attempt, bearer, errorOf, mint, validClaims, type Observation } from '../testing/harness.ts';

/** The kid mutants.test.ts gives the backend's secret. */
export const KID = 'wsac-key-1';
const now = () => Math.floor(Date.now() / 1000);
const accepted = (obs: Observation) => expect(obs.close ?? obs, obs.body).toMatchObject({ code: 1000, reason: 'client-done' });
const refused = (status: number, reason: string) => (obs: Observation) => expect({ status: obs.status, error: errorOf(obs) }).toEqual({ status, error: reason });

/** RFC 7797: `b64: false`, the raw JSON signed (dots escaped so three segments remain). */
async function unencodedPayloadToken(): Promise<string> {
  const raw = JSON.stringify(validClaims()).replace(/\./g, '\\u002e');
  const jws = await new FlattenedSign(new TextEncoder().encode(raw)).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', b64: false, crit: ['b64'] }).sign(new TextEncoder().encode(SECRET));
  return `${jws.protected}.${raw}.${jws.signature}`;
}

export const EDGE_DIFFERENCES = {
  'aud-near-miss': {
    request: 'a token whose aud contains ours ("xws-chatx")',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ claims: { aud: `x${AUDIENCE}x` } })) }),
    reference: refused(401, 'aud-mismatch'),
    mutant: accepted,
  },
  'user-id-normalised': {
    request: 'a token whose sub is " ALICE "',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ claims: { sub: ' ALICE ' } })) }),
    reference: refused(403, 'user-unknown'),
    mutant: accepted,
  },
  'identity-header-trusted': {
    request: 'no credential, X-Auth-Request-User: alice',
    probe: (url: string) => attempt(url, { headers: { 'X-Auth-Request-User': 'alice' } }),
    reference: refused(401, 'credential-missing'),
    mutant: accepted,
  },
  'exp-falsy-ignored': {
    request: 'a token with exp 0',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ claims: { exp: 0 } })) }),
    reference: refused(401, 'exp-expired'),
    mutant: accepted,
  },
  'leeway-too-wide': {
    request: 'a token valid from 10 s on (nbf, skew 0)',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ claims: { nbf: now() + 10 } })) }),
    reference: refused(401, 'nbf-future'),
    mutant: accepted,
  },
  'scheme-prefix': {
    request: 'Authorization: Bearerx <valid token>',
    probe: async (url: string) => attempt(url, { headers: { Authorization: `Bearerx ${await mint()}` } }),
    reference: refused(401, 'credential-scheme'),
    mutant: accepted,
  },
  'origin-prefix': {
    request: 'a cookie credential from Origin https://app.ws-auth-conformance.test.evil',
    probe: async (url: string) => attempt(url, { headers: { Cookie: `access_token=${await mint()}`, Origin: `${ALLOWED_ORIGIN}.evil` } }),
    reference: refused(403, 'origin-foreign'),
    mutant: accepted,
  },
  'kid-case-insensitive': {
    request: 'a valid token whose kid is the known kid in upper case',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ header: { kid: KID.toUpperCase() } })) }),
    reference: refused(401, 'key-unknown-kid'),
    mutant: accepted,
  },
  'aud-array-refused': {
    request: 'a valid token with aud ["billing", "ws-chat"]',
    probe: async (url: string) => attempt(url, { headers: bearer(await mint({ claims: { aud: ['billing', AUDIENCE] } })) }),
    reference: accepted,
    mutant: refused(401, 'aud-mismatch'),
  },
  'b64-unencoded': {
    request: `a correctly signed b64:false token (iss ${ISSUER})`,
    probe: async (url: string) => attempt(url, { headers: bearer(await unencodedPayloadToken()) }),
    reference: refused(401, 'token-malformed'),
    mutant: accepted,
  },
};
