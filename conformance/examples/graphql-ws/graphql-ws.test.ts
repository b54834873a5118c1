// graphql-ws 6 with auth in connection_init, started as its own process and checked
// through the CLI with this folder's config and policy.
import { describe, it } from 'vitest';
import { checkExample } from '../harness.ts';
import { DECLARED, FINDINGS } from './findings.ts';

describe('example: graphql-ws with auth in connection_init', () => {
  it('the documented pattern shows exactly the findings of its README', () => checkExample('graphql-ws', FINDINGS, DECLARED, { fixed: false, seed: 7, runs: 60 }), 240_000);
});
