// report.json: the run as one JSON document with a documented, versioned schema
// (docs/report-schema.md). Fields are only ever added within a schema version.
import { exitCodeOf, type RunResult } from '../result.ts';
import type { Reporter } from './events.ts';
import { fileReporter } from './file-reporter.ts';

export const REPORT_SCHEMA = 'ws-auth-conformance/report@1';

export function reportDocument(result: RunResult, startedAt: string): Record<string, unknown> {
  const base = { schema: REPORT_SCHEMA, startedAt, kind: result.kind, exitCode: exitCodeOf(result) };
  if (result.kind === 'setup-error') return { ...base, passed: false, error: { code: (result.error as { code?: string }).code ?? 'ERR_INTERNAL', message: result.error.message } };
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
    preflight: result.preflight,
    stoppedAfterCanary: result.stoppedAfterCanary,
    summary: result.summary,
    divergences: result.divergences,
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
      twins: c.twins,
      request: c.request ?? null,
      evidence: c.evidence ?? null,
    })),
  };
}

export function jsonReporter(dir: string): Reporter {
  const startedAt = new Date().toISOString();
  return fileReporter(dir, 'report.json', (result) => `${JSON.stringify(reportDocument(result, startedAt), null, 2)}\n`);
}
