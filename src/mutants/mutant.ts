import type { Assembly } from '../assembly.ts';

/** A field failure as one swapped piece of the backend (docs/field-failures.md). */
export interface Mutant {
  /** What the field backend did, in one line. */
  description: string;
  assemble(base: Assembly): Assembly;
}
