// The decision table architects review: reason -> outcome for each profile, and for the
// target's own contract when it overrides any mapping.
import { BROWSER_PLACEMENTS, browserCollapses, browserView, describeBrowserView } from '../browser.ts';
import { outcomeOf } from '../machine.ts';
import { profilePolicy, PROFILES, type Policy } from '../policy.ts';
import { NO_TOKEN_REASONS, REASON_DESCRIPTIONS, REASONS, closeCode, rejectStatus, type Outcome, type Reason } from '../reasons.ts';
import { stagesFor } from '../stages.ts';

const WIRE: Record<string, string> = {
  accept: '101, open',
  'reject-401': '401',
  'reject-403': '403',
  'close-1008': '101, close 1008',
  timeout: 'timeout (no answer, socket closed at the deadline)',
};

function wire(outcome: Outcome): string {
  const status = rejectStatus(outcome);
  const code = closeCode(outcome);
  return WIRE[outcome] ?? (status !== null ? String(status) : `101, close ${code}`);
}

export function decisionTable(policy: Policy): string {
  const profiles = PROFILES.map(profilePolicy);
  // A column of its own only when the target overrides its profile somewhere.
  const own = REASONS.some((r) => outcomeOf(profilePolicy(policy.profile), r) !== outcomeOf(policy, r));
  const stageOf = new Map<string, string>();
  for (const stage of stagesFor(policy)) {
    for (const b of stage.branches) stageOf.set(b.to, stage.title);
    for (const extra of stage.alsoOn ?? []) stageOf.set(extra.to, stage.title);
  }
  const header = ['reason', 'decided at', 'meaning', ...PROFILES, ...(own ? ['this target'] : []), 'a browser page sees'];
  const rows = REASONS.map((reason: Reason) => [
    `\`${reason}\``,
    stageOf.get(reason) ?? (reason.startsWith('auth-') ? 'first-message auth' : '-'),
    REASON_DESCRIPTIONS[reason],
    ...profiles.map((p) => wire(outcomeOf(p, reason))),
    ...(own ? [wire(outcomeOf(policy, reason))] : []),
    describeBrowserView(browserView(outcomeOf(policy, reason), null, reason)),
  ]);
  const collapses = browserCollapses(policy)
    .map((c) => `- ${c.outcomes.map((o) => `\`${o}\``).join(', ')} all look like \`${c.view}\` (${c.reasons} reasons)`)
    .join('\n');
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  return `# Decision table

Generated from the model (\`ws-auth-conformance diagram\`); do not edit by hand.

Every terminal state of the machine is one reason, and every reason has exactly one
outcome under a policy. Profiles: \`default\` (the field's common contract) and
\`rfc-strict\` (an unknown user is 401 \`invalid_token\`; a 401 without
\`WWW-Authenticate\` is FAILED instead of NON-STRICT).

A 401 carries \`WWW-Authenticate: Bearer\`, with \`error="invalid_token"\` unless no token
was presented (${NO_TOKEN_REASONS.map((r) => `\`${r}\``).join(', ')}; RFC 6750 3.1).
Reasons after the upgrade (\`auth-*\`, \`session-*\`) apply when the target enables
first-message auth or keeps a session open.

\`timeout\` means the target sent no answer and closed the socket by its own handshake
deadline. A socket with no answer still open at the client's deadline is observed as
\`hang\`: no reason allows it, under any policy (ws-auth-conformance's \`docs/field-failures.md\`).

The last column is what a web page's \`WebSocket\` observes (events, \`CloseEvent.code\`,
\`reason\`, \`wasClean\`): the browser hides the HTTP answer, so these outcomes collapse
into one for a page:

${collapses}

A page can put its credential only in ${BROWSER_PLACEMENTS.map((p) => `\`${p}\``).join(', ')}; it cannot set an
Authorization header.

${table}
`;
}
