// ws 8 + jsonwebtoken 9 in `verifyClient`, started as its own process and checked
// through the CLI with this folder's config and policy. The library showed no defect of
// its own, so the app as documented is also the correct backend of its shape.
import { describe, it } from 'vitest';
import { checkExample } from '../harness.ts';
import { DECLARED, FINDINGS } from './findings.ts';

describe('example: ws + jsonwebtoken in verifyClient', () => {
  it('the documented, hardened pattern shows exactly the findings of its README', () => checkExample('ws-jsonwebtoken', FINDINGS, DECLARED, { fixed: false, seed: 7, runs: 60 }), 240_000);
});
