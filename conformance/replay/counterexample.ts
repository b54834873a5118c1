// A counterexample file: everything needed to understand a divergence and to re-run
// it (`ws-auth-conformance replay FILE`), with the token redacted unless asked.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { policyDigest, type Policy } from '../../model/policy.ts';
import type { Prediction } from '../../model/oracle.ts';
import type { CaseSource } from '../cases/case.ts';
import type { Facts } from '../cases/facts-util.ts';
import { redact, type ForgedRequest } from '../cases/forge/request.ts';
import type { Evidence } from '../drive/evidence.ts';
import type { Finding } from '../judge/context.ts';
import type { Hint } from '../judge/hints.ts';
import type { SessionVerdict, Verdict } from '../judge/verdict.ts';
import type { RedactedRequest } from '../result.ts';
import { curlCommand } from './curl.ts';

export const COUNTEREXAMPLE_SCHEMA = 'ws-auth-conformance/counterexample@1';

export interface Counterexample {
  schema: typeof COUNTEREXAMPLE_SCHEMA;
  case: string;
  source: CaseSource;
  /** The fast-check seed and path of the original fuzz run, when fuzzed. */
  seed: number | null;
  path: string | null;
  /** Deviations from the canonical valid case, one line. */
  description: string;
  facts: Facts;
  policy: Policy;
  policyDigest: string;
  target: { kind: string; description: string; url: string; mutant: string | null };
  request: RedactedRequest;
  expected: Prediction;
  observed: { outcome: string; evidence: Evidence };
  verdict: { handshake: Verdict; session: SessionVerdict };
  findings: Finding[];
  hint: Hint | null;
  stability: 'deterministic' | 'flaky' | null;
  shrunkFrom: string | null;
  reproduce: { replay: string; curl: string };
}

export function redactRequest(request: ForgedRequest, revealTokens: boolean): RedactedRequest {
  const r = (s: string) => (revealTokens ? s : redact(s, request.token));
  return {
    path: r(request.path),
    headers: request.headers.map(([k, v]) => [k, r(v)]),
    protocols: request.protocols.map(r),
    authMessage: request.authMessage === null ? null : r(request.authMessage),
    token: request.tokenInfo,
  };
}

export interface CounterexampleInput {
  key: string;
  source: CaseSource;
  description: string;
  facts: Facts;
  policy: Policy;
  target: Counterexample['target'];
  request: ForgedRequest;
  prediction: Prediction;
  observed: string;
  evidence: Evidence;
  handshake: Verdict;
  session: SessionVerdict;
  findings: Finding[];
  hint: Hint | null;
  stability?: 'deterministic' | 'flaky';
  shrunkFrom?: string;
  revealTokens: boolean;
}

export function buildCounterexample(i: CounterexampleInput, file: string): Counterexample {
  return {
    schema: COUNTEREXAMPLE_SCHEMA,
    case: i.key,
    source: i.source,
    seed: i.source.kind === 'fuzz' ? i.source.seed : null,
    path: i.source.kind === 'fuzz' ? i.source.path : i.source.kind === 'path' ? i.source.pathId : null,
    description: i.description,
    facts: i.facts,
    policy: i.policy,
    policyDigest: policyDigest(i.policy),
    target: i.target,
    request: redactRequest(i.request, i.revealTokens),
    expected: i.prediction,
    observed: { outcome: i.observed, evidence: i.evidence },
    verdict: { handshake: i.handshake, session: i.session },
    findings: i.findings,
    hint: i.hint,
    stability: i.stability ?? null,
    shrunkFrom: i.shrunkFrom ?? null,
    reproduce: {
      replay: `npx ws-auth-conformance replay ${file}${i.target.kind === 'url' ? ` --target url=${i.target.url} --config FILE` : ''}`,
      curl: curlCommand(i.target.url, i.request, i.revealTokens),
    },
  };
}

export function counterexampleFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

export async function writeCounterexample(dir: string, c: Counterexample): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, counterexampleFileName(c.case));
  await writeFile(file, `${JSON.stringify(c, null, 2)}\n`);
  return file;
}
