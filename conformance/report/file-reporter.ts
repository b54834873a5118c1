// A reporter that writes one file from the final result (report.json, junit.xml).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../result.ts';
import type { Reporter } from './events.ts';

export function fileReporter(dir: string, name: string, render: (result: RunResult) => string): Reporter {
  let result: RunResult | null = null;
  return {
    onEvent(e) {
      if (e.type === 'run-finished') result = e.result;
    },
    async flush() {
      if (!result) return;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), render(result));
    },
  };
}
