// The draft as a config file: `defineConfig` with the target and the policy inline, each
// inferred field under comments that give the probes behind it, and the suspected
// defects at the top. Values are written as JSON, which is valid TypeScript.
import { isDeepStrictEqual } from 'node:util';
import { profilePolicy, type Policy } from '../../model/policy.ts';
import type { UserKind } from '../capabilities/capabilities.ts';
import type { Draft } from './draft.ts';
import { NO_SUCH_USER } from './infer-users.ts';

export interface RenderInput {
  draft: Draft;
  url: string;
  secretEnv: string;
  kid?: string;
  users: Partial<Record<UserKind, string>>;
  probes: number;
  /** When the probes ran (ISO). */
  at: string;
}

/** Policy fields in the order they are written; outcomes and credentials only where they differ from the profile. */
const FIELDS: Array<keyof Policy> = [
  'profile', 'placements', 'credentials', 'algorithms', 'kid', 'issuer', 'audience', 'typ', 'claimChecks', 'requiredClaims', 'clockSkewSeconds',
  'users', 'requiredRole', 'allowedOrigins', 'handshakeDeadlineMs', 'session', 'authWindowMs', 'maxTokenBytes',
];

export function renderConfig(input: RenderInput): string {
  const { draft } = input;
  const policy = draft.policy;
  const base = profilePolicy(policy.profile);
  const out: string[] = [
    `// DRAFT written by \`ws-auth-conformance init\` at ${input.at}: ${input.probes} probes against`,
    `// ${input.url}. Nothing here is trusted yet: each field says which probes it was inferred`,
    '// from; read them, correct what is not your contract, then run',
    '//   npx ws-auth-conformance run --config <this file>',
    '// A 5xx, a hang or a check skipped next to one that is made is never learnt as contract',
    '// (docs/init.md); the run reports those.',
  ];
  if (draft.suspected.length > 0) {
    out.push('//', `// SUSPECTED DEFECTS (${draft.suspected.length}): seen, not learnt; expect the run to report them:`);
    for (const s of draft.suspected) out.push(...comment(`- ${s}`, ''));
  }
  out.push("import { defineConfig } from 'ws-auth-conformance';", '', 'export default defineConfig({', '  target: {', "    kind: 'url',", `    url: ${JSON.stringify(input.url)},`);
  out.push(`    keys: ${JSON.stringify({ secretEnv: input.secretEnv, ...(input.kid ? { kid: input.kid } : {}) })},`);
  if (policy.users === 'directory') {
    out.push("    // The users named with --users; `missing` is a subject the backend must not know.");
    out.push(`    users: { fixed: ${JSON.stringify({ ...input.users, missing: input.users.missing ?? NO_SUCH_USER })} },`);
  }
  out.push('  },', '  policy: {');
  for (const field of FIELDS) {
    const value = policy[field];
    if (field === 'credentials' && isDeepStrictEqual(value, base.credentials)) continue;
    if (field === 'authWindowMs' && !policy.placements['first-message']) continue;
    const lines = [...(draft.evidence.get(field) ?? [])];
    if (field === 'claimChecks') for (const c of ['iss', 'aud', 'typ']) lines.push(...(draft.evidence.get(`claimChecks.${c}`) ?? []));
    if (lines.length === 0) lines.push('not probed: the default');
    for (const line of lines) out.push(...comment(line, '    '));
    out.push(`    ${field}: ${JSON.stringify(value)},`);
  }
  const overrides = Object.entries(policy.outcomes).filter(([reason, outcome]) => base.outcomes[reason as keyof Policy['outcomes']] !== outcome);
  out.push(...comment('How each refusal is answered, where it differs from the profile (credential and token defects 401, origin and user refusals 403, after the upgrade close 1008).', '    '));
  out.push('    outcomes: {');
  for (const [reason, outcome] of overrides) {
    for (const line of draft.evidence.get(`outcomes.${reason}`) ?? []) out.push(...comment(line, '      '));
    out.push(`      ${JSON.stringify(reason)}: ${JSON.stringify(outcome)},`);
  }
  out.push('    },', '  },', '});', '');
  return out.join('\n');
}

/** A comment of one or more lines, wrapped near 110 columns; never a newline inside. */
function comment(text: string, indent: string): string[] {
  const words = text.replace(/\s+/g, ' ').split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + 3 + line.length + 1 + w.length > 110) {
      lines.push(line);
      line = `  ${w}`;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}// ${l}`);
}
