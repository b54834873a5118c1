/** The backend was started with options that cannot work; the message says which and why. */
export class BackendConfigError extends Error {
  readonly code = 'ERR_BACKEND_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'BackendConfigError';
  }
}
