// `--report DIR`: everything a pipeline consumes, written from one report document.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportDocument } from './document.ts';
import { renderHtml } from './html/page.ts';
import { junitXml } from './junit.ts';
import { sarifLog } from './sarif.ts';

export const REPORT_FILES = ['report.json', 'junit.xml', 'results.sarif', 'index.html'] as const;

export const packageVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

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
