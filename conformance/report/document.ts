// report.json as a typed value: what `run` writes and what `merge`, `diff`, `--baseline`
// and the file renderers (JUnit, SARIF, HTML, GitHub) read back. Renderers work from this
// document, never from the engine's values, so a merged run renders like a single one.
import { readFile } from 'node:fs/promises';
import type { Prediction } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import type { CaseSource } from '../cases/case.ts';
import type { Facts } from '../cases/facts-util.ts';
import type { Evidence } from '../drive/evidence.ts';
import { ConfigError } from '../../model/errors.ts';
import type { Finding } from '../judge/context.ts';
import type { Hint } from '../judge/hints.ts';
import type { SessionVerdict, Verdict } from '../judge/verdict.ts';
import type { CaseResult, Divergence, HarnessReport, NotReproduced, PreflightReport, RedactedRequest, Summary } from '../result.ts';
import type { GateReport } from './gate.ts';

import type { BrowserView } from '../../model/browser.ts';

export const REPORT_SCHEMA = 'ws-auth-conformance/report@1';

export interface CaseEntry {
  key: string;
  source: CaseSource;
  description: string;
  facts: Facts;
  expected: Prediction;
  status: 'judged' | 'not-covered';
  notCovered: string | null;
  observed: string | null;
  verdict: { handshake: Verdict | null; session: SessionVerdict | null };
  divergent: boolean;
  findings: Finding[];
  hint: Hint | null;
  stability: 'deterministic' | 'flaky' | null;
  /** Present when the first observation diverged: its replays (evidence and verdicts shown are a replay's). */
  confirmation: CaseResult['confirmation'] | null;
  /** The first observation, when it diverged and no replay did. */
  firstObserved: CaseResult['firstObserved'] | null;
  /** For a divergent case: the replays with one fact set back to canonical (engine/cause.ts); absent otherwise and in files written before it was added. */
  cause?: CaseResult['cause'];
  twins: Array<{ relation: string; key: string; observed: string; holds: boolean }>;
  /** What a web page's WebSocket sees (model/browser.ts): of the prediction, and of the evidence when judged; absent in files written before it was added. */
  browser?: { expected: BrowserView; observed: BrowserView | null };
  request: RedactedRequest | null;
  evidence: Evidence | null;
}

export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  startedAt: string;
  kind: 'completed' | 'unreachable' | 'setup-error' | 'interrupted';
  exitCode: 0 | 1 | 2 | 130;
  /** Interrupted (Ctrl-C): what was judged so far, divergences unconfirmed. */
  partial?: boolean;
  passed: boolean;
  error?: { code: string; message: string };
  target?: { kind: string; description: string; url: string };
  preflight?: PreflightReport;
  seed?: number;
  runs?: number;
  strict?: boolean;
  profile?: string;
  policyDigest?: string;
  /** The policy the cases were judged under (the statechart of the HTML report, merge coverage). */
  policy?: Policy;
  /** The config or policy file the run was given, relative to the working directory (SARIF location). */
  configFile?: string | null;
  /** This run's part of the planned cases (`--shard K/N`), or the shards merged. */
  shard?: { index: number; count: number } | { merged: number[]; count: number } | null;
  stoppedAfterCanary?: boolean;
  summary?: Summary;
  divergences?: Divergence[];
  /** First observations that diverged and whose replays never did: not divergences. */
  notReproduced?: NotReproduced[];
  /** How the harness ran: concurrency, its own loop delay, the confirmations. */
  harness?: HarnessReport;
  cases?: CaseEntry[];
  /** Baseline and waivers applied to the divergences (absent when neither was given). */
  gate?: GateReport;
}

export type CompletedDocument = ReportDocument & Required<Pick<ReportDocument, 'target' | 'seed' | 'runs' | 'strict' | 'profile' | 'policyDigest' | 'summary' | 'divergences' | 'cases' | 'preflight'>>;

export function isCompleted(doc: ReportDocument): doc is CompletedDocument {
  return doc.kind === 'completed' && Array.isArray(doc.cases);
}

/** Reads a report.json written by `run` or `merge`; a wrong file says what it is not. */
export async function readReport(file: string, role: string): Promise<ReportDocument> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(role, `cannot read ${file} (${(error as Error).message.split('\n')[0]})`, 'give the report.json written by "run --report DIR"');
  }
  const schema = (raw as { schema?: unknown } | null)?.schema;
  if (schema !== REPORT_SCHEMA) {
    throw new ConfigError(role, `${file} is not a ws-auth-conformance report (schema ${JSON.stringify(schema)}, expected "${REPORT_SCHEMA}")`, 'give the report.json written by "run --report DIR"');
  }
  return raw as ReportDocument;
}

/** Whether a divergence is only a warning: NON-STRICT (a SHOULD missed), or flaky on re-run. */
export function isWarningOnly(d: Pick<Divergence, 'handshake' | 'session' | 'stability'>): boolean {
  if (d.stability === 'flaky') return true;
  const verdicts = [d.handshake, d.session].filter((v) => v !== 'OK' && v !== 'N/A');
  return verdicts.length > 0 && verdicts.every((v) => v === 'NON-STRICT');
}
