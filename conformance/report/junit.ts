// junit.xml: one testcase per case (twins included), a failure per divergence, a
// skipped entry per case the target could not run. CI systems render this natively.
import { isCompleted, type CaseEntry, type ReportDocument } from './document.ts';

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const esc = xmlEscape;

function testcase(c: CaseEntry): string {
  const ms = c.evidence?.totalMs ?? 0;
  const head = `    <testcase classname="ws-auth-conformance.${c.source.kind}" name="${esc(`${c.key}: ${c.description}`)}" time="${(ms / 1000).toFixed(3)}">`;
  if (c.status === 'not-covered') return `${head}<skipped message="${esc(c.notCovered ?? 'not covered')}"/></testcase>`;
  if (!c.divergent) return `${head}</testcase>`;
  const message = `${c.verdict.handshake}/${c.verdict.session}: expected ${c.expected.outcome} (${c.expected.reason}), observed ${c.observed}`;
  const body = [...c.findings.map((f) => `${f.check} [${f.verdict}]: ${f.message}`), ...(c.hint ? [`hint [${c.hint.id}]: ${c.hint.text}`] : [])].join('\n');
  return `${head}<failure message="${esc(message)}" type="${esc(c.verdict.handshake ?? 'FAILED')}">${esc(body)}</failure></testcase>`;
}

export function junitXml(doc: ReportDocument): string {
  if (!isCompleted(doc)) {
    const message = doc.kind === 'unreachable' ? `target unreachable: ${doc.error?.message}` : `error: ${doc.error?.message}`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ws-auth-conformance" tests="1" failures="0" errors="1">\n  <testsuite name="preflight" tests="1" errors="1">\n    <testcase classname="ws-auth-conformance.preflight" name="target"><error message="${esc(message)}"/></testcase>\n  </testsuite>\n</testsuites>\n`;
  }
  const cases = doc.cases;
  const failures = cases.filter((c) => c.divergent).length;
  const skipped = cases.filter((c) => c.status === 'not-covered').length;
  const time = (doc.summary.wallMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ws-auth-conformance" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${esc(doc.target.description)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `    <properties><property name="seed" value="${doc.seed}"/><property name="policyDigest" value="${doc.policyDigest}"/><property name="profile" value="${doc.profile}"/></properties>`,
    ...cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
