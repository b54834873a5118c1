// ws 8 + jsonwebtoken 9 in `verifyClient`, started as its own process and checked
// through the CLI with this folder's config and policy. The library showed no defect of
// its own; the correct backend of its shape (--fixed) only adds the close at exp.
import { describe, it } from 'vitest';
import { checkExample } from '../harness.ts';
import { DECLARED, FINDINGS } from './findings.ts';

describe('example: ws + jsonwebtoken in verifyClient', () => {
  it('the documented, hardened pattern shows exactly the findings of its README', () => checkExample('ws-jsonwebtoken', FINDINGS, DECLARED, { fixed: false, seed: 7, runs: 60 }), 240_000);
  it('the correct backend of its shape (--fixed: closes at exp + skew) has no divergence', () => checkExample('ws-jsonwebtoken', FINDINGS, DECLARED, { fixed: true, seed: 8, runs: 60 }), 240_000);
});
