// Decision logs against the model: single lines with one forbidden decision each, the
// field mapping, bad input, streaming, and a whole run of the reference backend (its
// log is clean, and every case's stated reason is the model's).
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CANONICAL_FACTS } from '../../model/facts.ts';
import { predict } from '../../model/oracle.ts';
import { profilePolicy, resolvePolicy } from '../../model/policy.ts';
import { runConformance } from '../engine.ts';
import { closeSharedDirectory, startEmbeddedTarget } from '../targets/embedded.ts';
import { checkDecision, type LogViolation } from './check.ts';
import { reasonFinding } from './join.ts';
import { DEFAULT_MAPPING, parseMapping, statedDecision } from './mapping.ts';
import { checkLogStream } from './stream.ts';

const policy = profilePolicy('default');
const rulesOf = (line: Record<string, unknown>, p = policy, mapping = DEFAULT_MAPPING) => checkDecision(statedDecision(line, 1, mapping)!, p).map((v) => v.rule);

describe('check-logs: one line against the model', () => {
  it('a consistent decision has no violation', () => {
    expect(rulesOf({ outcome: 'reject-401', reason: 'signature-wrong-key', placement: 'cookie' })).toEqual([]);
    expect(rulesOf({ outcome: 'accept', userState: 'active', placement: 'authorization-header' })).toEqual([]);
    expect(rulesOf({ outcome: 'close-1008', reason: 'session-token-expired' })).toEqual([]);
  });

  it('an accept with an inactive user, or through a placement the contract does not enable, is forbidden', () => {
    expect(rulesOf({ outcome: 'accept', userState: 'inactive' })).toEqual(['forbidden-accept']);
    expect(rulesOf({ outcome: 'accept', userState: 'active', placement: 'query' })).toEqual(['forbidden-accept']);
    expect(rulesOf({ outcome: 'accept', userState: 'active', placement: 'query' }, resolvePolicy({ placements: { query: true } }))).toEqual([]);
  });

  it('a 403 for a token defect is the wrong outcome; the contract decides which', () => {
    expect(rulesOf({ outcome: 'reject-403', reason: 'exp-expired' })).toEqual(['wrong-outcome']);
    expect(rulesOf({ outcome: 'reject-401', reason: 'user-unknown' })).toEqual(['wrong-outcome']);
    expect(rulesOf({ outcome: 'reject-401', reason: 'user-unknown' }, profilePolicy('rfc-strict'))).toEqual([]);
  });

  it('a refusal without a reason, an unknown reason or outcome, a user reason against the stated user', () => {
    expect(rulesOf({ outcome: 'reject-401' })).toEqual(['reject-without-reason']);
    expect(rulesOf({ outcome: 'reject-401', reason: 'bad-token' })).toEqual(['unknown-reason']);
    expect(rulesOf({ outcome: 'error', reason: 'directory-error' })).toEqual(['unknown-outcome', 'unknown-reason']);
    expect(rulesOf({ outcome: 'reject-403', reason: 'user-inactive', userState: 'active' })).toEqual(['reason-contradicts-user']);
  });

  it('reads another backend\'s fields through --map, with HTTP statuses as outcomes', () => {
    const mapping = parseMapping('reason=auth.reason,outcome=status,userState=auth.user.state');
    expect(rulesOf({ status: 403, auth: { reason: 'signature-wrong-key' } }, policy, mapping)).toEqual(['wrong-outcome']);
    expect(rulesOf({ status: 101, auth: { user: { state: 'inactive' } } }, policy, mapping)).toEqual(['forbidden-accept']);
    expect(() => parseMapping('reason')).toThrow(/field=path/);
    expect(() => parseMapping('colour=x')).toThrow(/unknown field "colour"/);
  });

  it('outcomes a policy declares beyond 401/403 are the contract\'s own', () => {
    const declared = resolvePolicy({ outcomes: { 'token-oversize': 'reject-413' } });
    expect(rulesOf({ outcome: 'reject-413', reason: 'token-oversize' }, declared)).toEqual([]);
    expect(rulesOf({ outcome: 'reject-401', reason: 'token-oversize' }, declared)).toEqual(['wrong-outcome']);
    expect(rulesOf({ status: 413, auth: { reason: 'token-oversize' } }, declared, parseMapping('outcome=status,reason=auth.reason'))).toEqual([]);
    expect(rulesOf({ outcome: 'reject-413', reason: 'token-oversize' })).toEqual(['unknown-outcome']);
  });

  it('a line stating neither outcome nor reason is not a decision', () => {
    expect(statedDecision({ event: 'listening', url: 'ws://x' }, 1, DEFAULT_MAPPING)).toBeNull();
  });
});

describe('check-logs: streams', () => {
  it('reports a violation as soon as its line arrives, and bad lines without stopping', async () => {
    const input = new PassThrough();
    const seen: Array<LogViolation | string> = [];
    let announce: () => void = () => {};
    const listener = {
      violation: (v: LogViolation) => (seen.push(v), announce()),
      unreadable: (line: number, problem: string) => seen.push(`${line}: ${problem}`),
    };
    const done = checkLogStream(input, policy, DEFAULT_MAPPING, listener);
    const first = new Promise<void>((r) => (announce = r));
    input.write('{"outcome":"reject-403","reason":"alg-none","requestId":"r1"}\n');
    await first; // the stream is still open: the violation did not wait for the end
    expect(seen).toMatchObject([{ line: 1, rule: 'wrong-outcome', requestId: 'r1' }]);
    input.end('not json\n[1,2]\n\n{"outcome":"accept","userState":"active"}\n');
    const summary = await done;
    expect(seen.slice(1)).toEqual([expect.stringMatching(/^2: not JSON/), '3: not a JSON object']);
    expect(summary).toMatchObject({ lines: 5, decisions: 2, unreadable: 2, violations: 1, byRule: { 'wrong-outcome': 1 } });
  });
});

describe('reason conformance: one case', () => {
  const line = (reason: string | null, outcome = 'reject-401') => [{ line: 7, outcome, reason, userState: null, placement: null, requestId: 'x' }];
  const facts = { ...CANONICAL_FACTS, alg: 'none' as const, user: 'missing' as const };
  const prediction = predict(policy, facts);

  it('the model\'s reason agrees; another reason is WRONG-REASON; no line is NON-STRICT', () => {
    expect(reasonFinding(policy, facts, prediction, line('alg-none'))).toBeNull();
    expect(reasonFinding(policy, facts, prediction, line('exp-expired'))).toMatchObject({ verdict: 'WRONG-REASON', hint: { id: 'log-says-expired' } });
    expect(reasonFinding(policy, facts, prediction, undefined)?.verdict).toBe('NON-STRICT');
  });

  it('a defect the case also has, answered alike, is NON-STRICT (a backend may check in another order)', () => {
    const two = { ...CANONICAL_FACTS, alg: 'none' as const, exp: 'past' as const };
    expect(reasonFinding(policy, two, predict(policy, two), line('exp-expired'))?.verdict).toBe('NON-STRICT');
    // user-unknown is a defect of the case too, but answered 403: the log contradicts the 401.
    expect(reasonFinding(policy, facts, prediction, line('user-unknown'))?.verdict).toBe('WRONG-REASON');
  });

  it('an accepted case is judged on its accept line, not on a session line logged after it', () => {
    const valid = { ...CANONICAL_FACTS };
    const lines = [...line(null, 'accept'), { ...line('session-token-expired', 'close-1008')[0]!, line: 9 }];
    expect(reasonFinding(policy, valid, predict(policy, valid), lines)).toBeNull();
    expect(reasonFinding(policy, valid, predict(policy, valid), line('user-inactive', 'reject-403'))?.verdict).toBe('WRONG-REASON');
  });

  it('signature reasons no backend can tell apart count as one', () => {
    const tampered = { ...CANONICAL_FACTS, signature: 'tampered' as const };
    expect(reasonFinding(policy, tampered, predict(policy, tampered), line('signature-wrong-key'))).toBeNull();
    // A signature cut short may no longer be base64url: malformed as it arrives.
    const stripped = { ...CANONICAL_FACTS, signature: 'stripped' as const };
    expect(reasonFinding(policy, stripped, predict(policy, stripped), line('token-malformed'))).toBeNull();
    const sub = { ...CANONICAL_FACTS, sub: 'missing' as const };
    expect(reasonFinding(policy, sub, predict(policy, sub), line('token-malformed'))?.verdict).toBe('WRONG-REASON');
  });
});

describe('the reference backend\'s own log', () => {
  let dir: string;
  afterAll(async () => {
    await closeSharedDirectory();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a run with --logs joins every case, states the model\'s reason each time, and check-logs finds nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wsac-ref-log-'));
    const file = join(dir, 'decisions.jsonl');
    const result = await runConformance({ target: () => startEmbeddedTarget({ decisionLog: file }), seed: 7, runs: 30, logs: { file }, shrink: false });
    expect(result.kind).toBe('completed');
    if (result.kind !== 'completed') return;
    // Cases the wire already failed (a timing margin lost on a loaded machine: the engine's
    // own tests cover those) say nothing about the log; every other case must agree.
    const wireClean = result.cases.filter((c) => c.status === 'judged' && c.findings.every((f) => f.check === 'logged-reason'));
    expect(wireClean.length).toBeGreaterThan(result.cases.length / 2);
    const reasonFindings = wireClean.flatMap((c) => c.findings.map((f) => `${c.key}: ${f.message}`));
    expect(reasonFindings).toEqual([]);
    const violations: LogViolation[] = [];
    const summary = await checkLogStream(createReadStream(file, 'utf8'), policy, DEFAULT_MAPPING, { violation: (v) => violations.push(v), unreadable: () => {} });
    expect(violations).toEqual([]);
    expect(summary.decisions).toBeGreaterThanOrEqual(result.summary.judged);
  });
});
