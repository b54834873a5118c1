// One errors module (style.md): a base class with a stable `code` and the field it
// is about, so the CLI prints `error: <message>` and exits 2 without a stack trace.
export class ConformanceError extends Error {
  constructor(
    readonly code: `ERR_${string}`,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ConformanceError';
  }
}

/** A bad config file or flag: names the field and how to fix it. */
export class ConfigError extends ConformanceError {
  constructor(field: string, problem: string, fix: string) {
    super('ERR_CONFIG', `config ${field}: ${problem}; ${fix}`, field);
    this.name = 'ConfigError';
  }
}

/** The target could not be started, reached or prepared. */
export class TargetError extends ConformanceError {
  constructor(message: string) {
    super('ERR_TARGET', message);
    this.name = 'TargetError';
  }
}

/** A counterexample file that cannot be replayed as written. */
export class ReplayError extends ConformanceError {
  constructor(message: string) {
    super('ERR_REPLAY', message);
    this.name = 'ReplayError';
  }
}
