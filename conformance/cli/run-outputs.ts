// After a run (or a merge): the CI gate (baseline, waivers), the report directory,
// GitHub annotations and step summary, and the gate's lines on stdout.
import { relative } from 'node:path';
import { readReport, type ReportDocument } from '../report/document.ts';
import { describeWaiver, gated, todayUtc, type GateInput, type Waiver } from '../report/gate.ts';
import { reportToGitHub } from '../report/github.ts';
import { writeReportDir } from '../report/write.ts';

/** Reads the baseline before the run, so a wrong path fails in a second, not after the run. */
export async function gateInput(baseline: string | undefined, waivers: Waiver[]): Promise<GateInput | null> {
  if (baseline === undefined && waivers.length === 0) return null;
  return {
    ...(baseline !== undefined ? { baseline: { file: baseline, doc: await readReport(baseline, '--baseline') } } : {}),
    waivers,
    today: todayUtc(),
  };
}

/** A path as the repository knows it: relative to the working directory, with slashes. */
export const repoPath = (file: string | null) => (file === null ? null : relative(process.cwd(), file).split('\\').join('/'));

export function gateLines(doc: ReportDocument): string[] {
  const g = doc.gate;
  if (!g) return [];
  const lines = [
    `gate: ${g.newDivergences.length} new, ${g.known.length} known${g.baseline ? ` (baseline ${g.baseline})` : ''}, ${g.waived.length} waived -> ${g.passed ? 'PASS' : 'FAIL'}`,
  ];
  for (const k of g.known) lines.push(`  known: ${k.key}${k.by === 'kind' ? ` (same kind as baseline ${k.baselineKey})` : ''}`);
  for (const w of g.waived) lines.push(`  waived: ${w.key}: ${describeWaiver(w.waiver)}`);
  for (const w of g.expiredWaivers) lines.push(`  EXPIRED waiver: ${describeWaiver(w)}; fix the divergence or move "until"`);
  for (const key of g.newDivergences) lines.push(`  new: ${key}`);
  return lines;
}

export async function finishReport(doc: ReportDocument, gate: GateInput | null, reportDir: string | undefined, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const final = gated(doc, gate);
  const lines = gateLines(final);
  if (lines.length) out.write(`${lines.join('\n')}\n`);
  if (reportDir) {
    await writeReportDir(reportDir, final);
    out.write(`report: ${reportDir}/index.html (also report.json, junit.xml, results.sarif)\n`);
  }
  await reportToGitHub(final, reportDir ?? null);
  return final.exitCode;
}
