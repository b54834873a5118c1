// report.json: the run as one JSON document with a documented, versioned schema
// (docs/report-schema.md). Fields are only ever added within a schema version.
import { exitCodeOf, type RunResult } from '../result.ts';
import { REPORT_SCHEMA, type ReportDocument } from './document.ts';
import { isConformanceError } from '../../model/errors.ts';
import { browserView } from '../../model/browser.ts';
import { observedBrowserView } from '../judge/browser.ts';

/** What the CLI knows about a run that the engine does not. */
export interface RunContext {
  startedAt: string;
  configFile: string | null;
  shard: { index: number; count: number } | null;
}

export function reportDocument(result: RunResult, context: RunContext): ReportDocument {
  const base = { schema: REPORT_SCHEMA, startedAt: context.startedAt, kind: result.kind, exitCode: exitCodeOf(result) } as const;
  if (result.kind === 'setup-error') return { ...base, passed: false, error: { code: isConformanceError(result.error) ? result.error.code : 'ERR_INTERNAL', message: result.error.message } };
  if (result.kind === 'interrupted') return { ...base, passed: false, partial: true, error: { code: 'ERR_INTERRUPTED', message: result.detail } };
  if (result.kind === 'unreachable') return { ...base, passed: false, target: result.target, preflight: result.preflight, error: { code: 'ERR_UNREACHABLE', message: result.detail } };
  return {
    ...base,
    passed: result.passed,
    target: result.target,
    seed: result.seed,
    runs: result.runs,
    strict: result.strict,
    profile: result.profile,
    policyDigest: result.policyDigest,
    policy: result.policy,
    configFile: context.configFile,
    shard: context.shard,
    preflight: result.preflight,
    stoppedAfterCanary: result.stoppedAfterCanary,
    partial: result.partial,
    summary: result.summary,
    harness: result.harness,
    divergences: result.divergences,
    notReproduced: result.notReproduced,
    cases: result.cases.map((c) => ({
      key: c.key,
      source: c.source,
      description: c.description,
      facts: c.facts,
      expected: c.prediction,
      status: c.status,
      notCovered: c.notCovered ?? null,
      observed: c.observed ?? null,
      verdict: { handshake: c.handshake ?? null, session: c.session ?? null },
      divergent: c.divergent,
      findings: c.findings,
      hint: c.hint,
      stability: c.stability ?? null,
      confirmation: c.confirmation ?? null,
      firstObserved: c.firstObserved ?? null,
      ...(c.cause ? { cause: c.cause } : {}),
      twins: c.twins,
      browser: { expected: browserView(c.prediction.outcome, null, c.prediction.reason), observed: c.evidence ? observedBrowserView(c.evidence) : null },
      request: c.request ?? null,
      evidence: c.evidence ?? null,
    })),
  };
}
