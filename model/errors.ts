// The package's one error hierarchy (in the manner of jose's errors): every error meant
// for a user is a ConformanceError with a stable `code` and, where there is one, the
// structured field it is about. The CLI prints those as `error: <message>` and exits 2;
// anything else thrown is a bug and is printed with its stack. It lives in the bottom
// layer so the spec (policies), the backend (`serve`, seeding, keys) and the conformance
// tool all throw its subclasses.

export type ErrorCode =
  | 'ERR_POLICY'
  | 'ERR_CONFIG'
  | 'ERR_USAGE'
  | 'ERR_TARGET'
  | 'ERR_REPLAY'
  | 'ERR_BACKEND_CONFIG'
  | 'ERR_SERVE'
  | 'ERR_USER_SEED'
  | 'ERR_EMBEDDED_HOST'
  | 'ERR_DEPENDENCY_TIMEOUT';

export const ERROR_CODES: readonly ErrorCode[] = [
  'ERR_POLICY',
  'ERR_CONFIG',
  'ERR_USAGE',
  'ERR_TARGET',
  'ERR_REPLAY',
  'ERR_BACKEND_CONFIG',
  'ERR_SERVE',
  'ERR_USER_SEED',
  'ERR_EMBEDDED_HOST',
  'ERR_DEPENDENCY_TIMEOUT',
];

export function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}

export abstract class ConformanceError extends Error {
  abstract readonly code: ErrorCode;
}

/** A user's mistake or an environment problem the message explains; false for bugs. */
export function isConformanceError(error: unknown): error is ConformanceError {
  return error instanceof ConformanceError;
}

export interface PolicyProblem {
  /** Path of the field, e.g. `outcomes.user-inactive`. */
  field: string;
  message: string;
}

/**
 * A policy (file or object) that cannot be resolved, with every problem found, not only
 * the first: `field` is the first problem's field, `problems` all of them.
 */
export class PolicyError extends ConformanceError {
  readonly code = 'ERR_POLICY';
  readonly problems: readonly PolicyProblem[];
  constructor(
    readonly field: string,
    message: string,
    more: readonly PolicyProblem[] = [],
  ) {
    const problems = [{ field, message }, ...more];
    super(problems.map((p) => `policy.${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
    this.name = 'PolicyError';
  }

  /** One error for all the problems found; undefined when there are none. */
  static of(problems: readonly PolicyProblem[]): PolicyError | undefined {
    const [first, ...more] = problems;
    return first && new PolicyError(first.field, first.message, more);
  }
}

/** A bad config file or config value: names the field and how to fix it. */
export class ConfigError extends ConformanceError {
  readonly code = 'ERR_CONFIG';
  constructor(
    readonly field: string,
    problem: string,
    readonly fix: string,
  ) {
    super(`config ${field}: ${problem}; ${fix}`);
    this.name = 'ConfigError';
  }
}

/** A bad command-line flag or value. */
export class UsageError extends ConformanceError {
  readonly code = 'ERR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The target could not be started, reached or prepared. */
export class TargetError extends ConformanceError {
  readonly code = 'ERR_TARGET';
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

/** A counterexample file that cannot be replayed as written. */
export class ReplayError extends ConformanceError {
  readonly code = 'ERR_REPLAY';
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

/** The reference backend was started with options that cannot work; the message says which and why. */
export class BackendConfigError extends ConformanceError {
  readonly code = 'ERR_BACKEND_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'BackendConfigError';
  }
}

/** `serve` could not start: a flag, a file, the database or the port. */
export class ServeError extends ConformanceError {
  readonly code = 'ERR_SERVE';
  constructor(message: string) {
    super(message);
    this.name = 'ServeError';
  }
}

/** A user row to seed that is not one; the message names the row. */
export class SeedError extends ConformanceError {
  readonly code = 'ERR_USER_SEED';
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

/**
 * The embedded host (a worker thread) ended, or reported one of this hierarchy's errors
 * from inside it (a backend option, a seed, the port): `code` is the one thrown there.
 * A bug inside the worker is not one of these: it arrives as an internal error.
 */
export class EmbeddedHostError extends ConformanceError {
  constructor(
    message: string,
    readonly code: ErrorCode = 'ERR_EMBEDDED_HOST',
  ) {
    super(message);
    this.name = 'EmbeddedHostError';
  }
}

/**
 * A dependency that gave up because the handshake deadline passed (e.g. PostgreSQL
 * cancelling a lookup at its statement_timeout): the backend answers it as the deadline.
 */
export class DependencyTimeoutError extends ConformanceError {
  readonly code = 'ERR_DEPENDENCY_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'DependencyTimeoutError';
  }
}
