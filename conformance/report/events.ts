// Events out, reporters in: the engine emits these while it runs; the console
// progress display, report.json and JUnit are reporters consuming them.
import type { CaseResult, Confirmation, Divergence, PreflightReport, RunResult } from '../result.ts';

export type EngineEvent =
  | { type: 'run-started'; target: string; seed: number; policyDigest: string; profile: string }
  | { type: 'preflight'; preflight: PreflightReport }
  | { type: 'cases-planned'; total: number; paths: number; noiseVariants: number; edge: number; fuzz: number; twins: number; notCovered: number }
  | { type: 'case-finished'; result: CaseResult; done: number; total: number }
  | { type: 'rotation-step'; key: string; waitMs: number; text: string }
  | { type: 'confirm-started'; count: number; attempts: number }
  | ({ type: 'confirmed'; key: string } & Confirmation)
  | { type: 'explain-started'; count: number; replays: number }
  | { type: 'shrink-step'; key: string; steps: number; description: string }
  | { type: 'divergence'; divergence: Divergence }
  | { type: 'run-finished'; result: RunResult };

export interface Reporter {
  onEvent(event: EngineEvent): void;
  /** Called once after run-finished; reporters that write files do it here. */
  flush?(): Promise<void>;
}

export function combineReporters(reporters: Reporter[]): Reporter {
  return {
    onEvent: (e) => reporters.forEach((r) => r.onEvent(e)),
    flush: async () => {
      for (const r of reporters) await r.flush?.();
    },
  };
}
