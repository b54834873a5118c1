// Reports never hold a whole token: the case's own, and any other one a request carries
// (an unsigned identity assertion among the noise headers) become fingerprints.
import { describe, expect, it } from 'vitest';
import { redact } from './request.ts';

const CASE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
const ASSERTION = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiJ9.';

describe('redact', () => {
  it('replaces the case token and any other compact token by a fingerprint, and nothing else', () => {
    const text = `Bearer ${CASE_TOKEN}; X-Pomerium-Jwt-Assertion: ${ASSERTION}; X-Request-Id: wsac-1-2`;
    const out = redact(text, CASE_TOKEN);
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./);
    expect(out).toMatch(/^Bearer <token sha256:[0-9a-f]{12}>; X-Pomerium-Jwt-Assertion: <token sha256:[0-9a-f]{12}>; X-Request-Id: wsac-1-2$/);
    expect(redact(`a ${ASSERTION}`, null)).toBe(redact(`a ${ASSERTION}`, CASE_TOKEN));
    expect(redact('no token here: a.b.c', null)).toBe('no token here: a.b.c');
  });
});
