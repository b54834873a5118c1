// GitHub Actions: a workflow command per divergence (an annotation on the run page) and
// a Markdown summary for $GITHUB_STEP_SUMMARY. Only with GITHUB_ACTIONS=true.
import { appendFile } from 'node:fs/promises';
import { isCompleted, type ReportDocument } from './document.ts';
import { describeWaiver } from './gate.ts';
import { reportedDivergences, type Reported } from './reported.ts';

/** Workflow-command escaping: the message escapes %, CR, LF; properties also : and ,. */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(r: Reported, file: string | null): string {
  const kind = r.gate !== 'new' ? 'notice' : r.level;
  const title = `${r.gate === 'known' ? 'known: ' : r.gate === 'waived' ? 'waived: ' : ''}${r.title}`;
  const props = [`title=${escapeProperty(title)}`, ...(file ? [`file=${escapeProperty(file)}`] : [])].join(',');
  const cx = r.divergence?.counterexampleFile;
  const message = `${r.verdict} ${r.key}: ${r.kase?.description ?? ''}\nexpected ${r.expected}, observed ${r.observed}${cx ? `\nreplay: npx ws-auth-conformance replay ${cx}` : ''}`;
  return `::${kind} ${props}::${escapeData(message)}`;
}

export function workflowCommands(doc: ReportDocument): string[] {
  if (!isCompleted(doc)) return [`::error title=${escapeProperty(`ws-auth-conformance: ${doc.kind}`)}::${escapeData(doc.error?.message ?? doc.kind)}`];
  const lines = reportedDivergences(doc).map((r) => command(r, doc.configFile ?? null));
  for (const w of doc.gate?.expiredWaivers ?? []) lines.push(`::error title=${escapeProperty('expired waiver')}::${escapeData(`waiver for ${describeWaiver(w)} has expired: fix the divergence or renew the waiver`)}`);
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function stepSummary(doc: ReportDocument, reportDir: string | null): string {
  if (!isCompleted(doc)) return `## ws-auth-conformance: ${doc.kind === 'unreachable' ? 'target unreachable' : 'setup error'}\n\n${doc.error?.message ?? ''}\n`;
  const s = doc.summary;
  const reported = reportedDivergences(doc);
  const verdict = doc.exitCode === 0 ? '✅ PASS' : '❌ FAIL';
  const lines = [
    `## ws-auth-conformance: ${verdict}`,
    '',
    `Target **${doc.target.description}** · seed \`${doc.seed}\` · profile \`${doc.profile}\` · policy \`${doc.policyDigest}\``,
    '',
    '| cases | judged | not covered | divergences | non-strict | states | transitions |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.cases} (+${s.twins} twins) | ${s.judged} | ${s.notCovered} | ${s.divergences} | ${s.nonStrict} | ${s.coverage.states.covered}/${s.coverage.states.total} | ${s.coverage.transitions.covered}/${s.coverage.transitions.total} |`,
  ];
  if (doc.gate) {
    lines.push('', `Gate: ${doc.gate.newDivergences.length} new, ${doc.gate.known.length} known${doc.gate.baseline ? ` (baseline \`${doc.gate.baseline}\`)` : ''}, ${doc.gate.waived.length} waived, ${doc.gate.expiredWaivers.length} expired waivers`);
    for (const w of doc.gate.expiredWaivers) lines.push(`- ⛔ expired waiver: ${cell(describeWaiver(w))}`);
  }
  if (reported.length) {
    lines.push('', '| | verdict | case | expected | observed | hint |', '|---|---|---|---|---|---|');
    for (const r of reported.slice(0, 50)) {
      const mark = r.gate !== 'new' ? r.gate : r.level === 'error' ? '❌' : '⚠️';
      lines.push(`| ${mark} | ${r.verdict} | \`${cell(r.key)}\` ${cell(r.kase?.description ?? '')} | ${cell(r.expected)} | ${cell(r.observed)} | ${cell(r.title)} |`);
    }
    if (reported.length > 50) lines.push('', `… and ${reported.length - 50} more (see the HTML report).`);
  }
  if (reportDir) lines.push('', `Reports: \`${reportDir}/index.html\` (open it in a browser), \`results.sarif\`, \`junit.xml\`, \`report.json\`.`);
  lines.push('', `Reproduce: \`npx ws-auth-conformance run --seed ${doc.seed}\``, '');
  return lines.join('\n');
}

/**
 * Prints the annotations and appends the summary, when running in GitHub Actions and
 * not told otherwise (WSAC_GITHUB=off: shard jobs whose merge job reports instead).
 */
export async function reportToGitHub(doc: ReportDocument, reportDir: string | null, env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (env.GITHUB_ACTIONS !== 'true' || env.WSAC_GITHUB === 'off') return;
  for (const line of workflowCommands(doc)) out.write(`${line}\n`);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, stepSummary(doc, reportDir));
}
