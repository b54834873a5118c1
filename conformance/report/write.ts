// `--report DIR`: everything a pipeline consumes, written from one report document.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageVersion } from './version.ts';
import type { RunResult } from '../result.ts';
import type { ReportDocument } from './document.ts';
import type { Reporter } from './events.ts';
import { renderHtml } from './html/page.ts';
import { reportDocument, type RunContext } from './json.ts';
import { junitXml } from './junit.ts';
import { sarifLog } from './sarif.ts';

export const REPORT_FILES = ['report.json', 'junit.xml', 'results.sarif', 'index.html'] as const;

export async function writeReportDir(dir: string, doc: ReportDocument): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': `${JSON.stringify(doc, null, 2)}\n`,
    'junit.xml': junitXml(doc),
    'results.sarif': `${JSON.stringify(sarifLog(doc, packageVersion()), null, 2)}\n`,
    'index.html': await renderHtml(doc),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return REPORT_FILES.map((f) => join(dir, f));
}

/** For scripts calling the engine: a reporter writing the report directory after the run. */
export function reportDirReporter(dir: string, context: Partial<RunContext> = {}): Reporter {
  const startedAt = new Date().toISOString();
  let result: RunResult | null = null;
  return {
    onEvent(e) {
      if (e.type === 'run-finished') result = e.result;
    },
    async flush() {
      if (result) await writeReportDir(dir, reportDocument(result, { startedAt, configFile: null, shard: null, ...context }));
    },
  };
}
