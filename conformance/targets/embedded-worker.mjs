// Entry of the embedded host's worker thread: the sources are TypeScript, so tsx is
// registered here (a worker does not inherit the CLI's or vitest's loader).
import { register } from 'tsx/esm/api';

register();
await import('./embedded-worker.ts');
