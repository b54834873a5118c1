// The package's programmatic surface (`ws-auth-conformance`): config files import
// `defineConfig` from here; test suites and CI scripts call the engine directly.
// The spec itself is `ws-auth-conformance/model`; the reference backend `ws-auth-conformance/backend`.
import type { Target } from './targets/target.ts';
import type { ContainerTargetOptions } from './targets/container.ts';

export { defineConfig } from './config/schema.ts';
export type { ConformanceConfig, TargetConfig, UrlTargetConfig, EmbeddedTargetConfig } from './config/schema.ts';

// The engine, its options and its results.
export { runConformance, type RunOptions } from './engine.ts';
export { exitCodeOf } from './result.ts';
export type { RunResult, CompletedRun, CaseResult, Divergence, PreflightReport, Summary, RedactedRequest } from './result.ts';

// Cases: the model's canonical facts plus the defects you want, predicted by the model.
export { customCase, canonicalFacts, type Case, type CaseSource } from './cases/case.ts';
export { CANONICAL_FACTS, NO_NOISE, type Facts, type Noise } from '../model/facts.ts';

// Reporters receive the engine's events.
export type { EngineEvent, Reporter } from './report/events.ts';
export { combineReporters } from './report/events.ts';
export { consoleReporter } from './report/console.ts';
// report.json, junit.xml, results.sarif and index.html (docs/report-schema.md, docs/ci.md).
export { reportDirReporter, writeReportDir } from './report/write.ts';
export { reportDocument } from './report/json.ts';
export { REPORT_SCHEMA, type ReportDocument } from './report/document.ts';

// Targets: the reference backend in-process, any backend by URL, the backend image under Testcontainers.
export type { Target, UserRequest } from './targets/target.ts';
export type { TargetCapabilities } from './capabilities/capabilities.ts';
export { startEmbeddedTarget, closeSharedDirectory, type EmbeddedTargetOptions } from './targets/embedded.ts';
export { startUrlTarget, type UrlTargetOptions, type UserSource } from './targets/url.ts';
export type { ContainerTargetOptions } from './targets/container.ts';
export { keysFromSecret, keysFromJwkFile, generateKeys, type SigningKeys } from './keys.ts';

/** The container target; Testcontainers is loaded only when one is started. */
export async function startContainerTarget(options: ContainerTargetOptions): Promise<Target> {
  return (await import('./targets/container.ts')).startContainerTarget(options);
}

// Errors: each has a stable `code`; anything else thrown is a bug.
export { ConformanceError, isConformanceError, ConfigError, UsageError, TargetError, ReplayError, EmbeddedHostError, ERROR_CODES, type ErrorCode } from '../model/errors.ts';

// The spec's most used parts, also at `ws-auth-conformance/model`.
export { predict, generatePaths, profilePolicy, resolvePolicy, PolicyError } from '../model/index.ts';
export type { Policy, PolicyInput, Prediction } from '../model/index.ts';
