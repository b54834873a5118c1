import { loadPolicyFile } from '../../model/policy-file.ts';
import { generatePaths } from '../../model/paths.ts';
import { OUTCOMES } from '../../model/reasons.ts';
import { resolvePolicy, type Policy, type ProfileName } from '../../model/policy.ts';
import { parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';

export const command: Command = {
  summary: 'list the test paths generated from the model, with coverage',
  usage: `Usage: ws-auth-conformance paths [--policy FILE] [--profile default|rfc-strict] [--json]

Generates, from the XState model of the handshake-auth lifecycle, a set of paths that
together visit every state and take every transition under the policy. Each path is the
canonical valid case plus exactly the defects it needs.

Options:
  --policy FILE   the target's auth contract (JSON; fields over its profile)
  --profile NAME  profile to use when no policy file is given (default: default)
  --json          print one JSON object: { coverage, paths: [{ id, outcome, reason, states, facts }] }
`,
  async run(argv) {
    const { values } = parseFlags(argv, { policy: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } }, 'paths');
    const policy = await policyFromFlags(values.policy, values.profile);
    const set = generatePaths(policy);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(set, null, 2)}\n`);
      return 0;
    }
    const { states, transitions } = set.coverage;
    const lines = [
      `profile ${policy.profile}: ${set.paths.length} paths; states ${states.covered}/${states.total}, transitions ${transitions.covered}/${transitions.total}`,
      `by outcome: ${OUTCOMES.map((o) => `${o} ${set.paths.filter((p) => p.outcome === o).length}`).join(', ')}`,
      '',
      ...set.paths.map((p) => `${p.outcome.padEnd(11)} ${p.id}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

export async function policyFromFlags(file: string | undefined, profile: string | undefined): Promise<Policy> {
  if (file !== undefined && profile !== undefined) throw new UsageError('give --policy FILE or --profile NAME, not both (set "profile" inside the file)');
  if (profile !== undefined) return resolvePolicy({ profile: profile as ProfileName });
  return loadPolicyFile(file);
}
