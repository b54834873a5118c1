// One card per divergence: verdicts, hint, the model's state trace (drawn on the
// statechart on click), the replays with one fact set back (the true cause), the wire evidence, the redacted request, curl and replay.
import { curlCommand } from '../../replay/curl.ts';
import type { CompletedDocument } from '../document.ts';
import type { Reported } from '../reported.ts';
import { esc, redactJwts } from './escape.ts';

function evidenceText(r: Reported): string {
  const e = r.kase?.evidence;
  if (!e) return 'no wire evidence recorded';
  const lines = [`connect: ${e.connect.ok ? `ok in ${e.connect.ms} ms` : `failed (${e.connect.error})`}`];
  if (e.response) {
    lines.push(`response: ${e.response.status} ${e.response.statusText} at ${e.response.ms} ms`);
    for (const [k, v] of Object.entries(e.response.headers)) lines.push(`  ${k}: ${v}`);
    if (e.response.body) lines.push(`  body: ${e.response.body.slice(0, 400)}`);
  }
  if (e.upgraded) lines.push(`upgraded: 101 at ${e.upgraded.ms} ms${e.upgraded.protocol ? `, subprotocol ${e.upgraded.protocol}` : ''}`);
  for (const f of e.frames) lines.push(`frame at ${f.ms} ms: ${f.text.slice(0, 200)}`);
  for (const a of e.actions) lines.push(`client at ${a.ms} ms: ${a.action}`);
  if (e.close) lines.push(`close: ${e.close.code}${e.close.reason ? ` "${e.close.reason}"` : ''}, ${e.close.by} first, at ${e.close.ms} ms`);
  if (e.released) lines.push(`released at ${e.released.ms} ms without a response (${e.released.how})`);
  if (e.hung) lines.push(`hung: no response and still open at ${e.hung.ms} ms (the client deadline)`);
  if (e.error) lines.push(`error: ${e.error}`);
  lines.push(`total: ${e.totalMs} ms`);
  return redactJwts(lines.join('\n'));
}

function requestText(r: Reported): string {
  const q = r.kase?.request;
  if (!q) return '';
  const lines = [`GET ${q.path}`, ...q.headers.map(([k, v]) => `${k}: ${v}`)];
  if (q.protocols.length) lines.push(`Sec-WebSocket-Protocol: ${q.protocols.join(', ')}`);
  if (q.authMessage) lines.push(`then the text frame: ${q.authMessage}`);
  if (q.token) lines.push(`token: header ${JSON.stringify(q.token.header)} claims ${JSON.stringify(q.token.claims)} signature ${q.token.signatureFingerprint}`);
  return lines.join('\n');
}

const trace = (steps: string[]) => steps.map((s) => `<span class="step">${esc(s)}</span>`).join('<span class="arrow">→</span>');

export function divergenceCard(doc: CompletedDocument, r: Reported, index: number): string {
  const c = r.kase;
  const q = c?.request;
  const curl = q ? curlCommand(doc.target.url, { ...q, token: null }) : null;
  const file = r.divergence?.counterexampleFile;
  const replay = file ? `npx ws-auth-conformance replay ${file}${doc.target.kind === 'url' ? ` --target url=${doc.target.url} --config FILE` : ''}` : null;
  const shrunk = r.divergence?.shrunk;
  const badge = `<span class="badge ${r.level}">${esc(r.verdict)}</span>${r.gate !== 'new' ? ` <span class="badge ${r.gate}">${r.gate}</span>` : ''}`;
  const traceIds = c?.expected.trace ?? [];
  return `<details class="divergence ${r.level}" id="d${index}" data-trace="${esc(traceIds.join(' '))}"${index < 3 ? ' open' : ''}>
<summary>${badge} <code>${esc(r.key)}</code> ${esc(c?.description ?? '')}<div class="hint">${esc(r.title)}</div></summary>
<dl>
<dt>expected</dt><dd>${esc(r.expected)}</dd>
<dt>observed</dt><dd>${esc(r.observed)}</dd>
${c?.confirmation ? `<dt>confirmed</dt><dd>${esc(c.confirmation.status)}: ${c.confirmation.reproduced} of ${c.confirmation.attempts} replays on its own diverged the same way</dd>` : ''}
<dt>model trace</dt><dd class="trace">${trace(traceIds)} <button type="button" class="show-trace" data-target="d${index}">draw on statechart</button></dd>
${c?.findings.length ? `<dt>findings</dt><dd><ul>${c.findings.map((f) => `<li><b>${esc(f.check)}</b> [${esc(f.verdict)}] ${esc(f.message)}</li>`).join('')}</ul></dd>` : ''}
${c?.cause?.flips.length ? `<dt>one fact set back</dt><dd><ul>${c.cause.flips.map((f) => `<li>${f.fact === c.cause!.fact ? '<b>cause</b> ' : ''}${esc(f.text)}</li>`).join('')}</ul></dd>` : ''}
${shrunk ? `<dt>shrunk</dt><dd>in ${shrunk.steps} steps to: ${esc(shrunk.description)}</dd>` : ''}
${q ? `<dt>request</dt><dd><pre>${esc(requestText(r))}</pre></dd>` : ''}
<dt>wire evidence</dt><dd><pre>${esc(evidenceText(r))}</pre></dd>
${curl ? `<dt>curl</dt><dd><pre class="cmd">${esc(curl)}</pre></dd>` : ''}
${replay ? `<dt>replay</dt><dd><pre class="cmd">${esc(replay)}</pre></dd>` : ''}
</dl>
</details>`;
}
