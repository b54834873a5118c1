// junit.xml: one testcase per case (twins included), a failure per divergence, a
// skipped entry per case the target could not run. CI systems render this natively.
import type { CaseResult, RunResult } from '../result.ts';
import type { Reporter } from './events.ts';
import { fileReporter } from './file-reporter.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function testcase(c: CaseResult): string {
  const ms = c.evidence?.totalMs ?? 0;
  const head = `    <testcase classname="ws-auth-conformance.${c.source.kind}" name="${esc(`${c.key}: ${c.description}`)}" time="${(ms / 1000).toFixed(3)}">`;
  if (c.status === 'not-covered') return `${head}<skipped message="${esc(c.notCovered ?? 'not covered')}"/></testcase>`;
  if (!c.divergent) return `${head}</testcase>`;
  const message = `${c.handshake}/${c.session}: expected ${c.prediction.outcome} (${c.prediction.reason}), observed ${c.observed}`;
  const body = [...c.findings.map((f) => `${f.check} [${f.verdict}]: ${f.message}`), ...(c.hint ? [`hint [${c.hint.id}]: ${c.hint.text}`] : [])].join('\n');
  return `${head}<failure message="${esc(message)}" type="${esc(c.handshake ?? 'FAILED')}">${esc(body)}</failure></testcase>`;
}

export function junitXml(result: RunResult): string {
  if (result.kind !== 'completed') {
    const message = result.kind === 'unreachable' ? `target unreachable: ${result.detail}` : `error: ${result.error.message}`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ws-auth-conformance" tests="1" failures="0" errors="1">\n  <testsuite name="preflight" tests="1" errors="1">\n    <testcase classname="ws-auth-conformance.preflight" name="target"><error message="${esc(message)}"/></testcase>\n  </testsuite>\n</testsuites>\n`;
  }
  const cases = result.cases;
  const failures = cases.filter((c) => c.divergent).length;
  const skipped = cases.filter((c) => c.status === 'not-covered').length;
  const time = (result.summary.wallMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ws-auth-conformance" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${esc(result.target.description)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `    <properties><property name="seed" value="${result.seed}"/><property name="policyDigest" value="${result.policyDigest}"/><property name="profile" value="${result.profile}"/></properties>`,
    ...cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function junitReporter(dir: string): Reporter {
  return fileReporter(dir, 'junit.xml', junitXml);
}
