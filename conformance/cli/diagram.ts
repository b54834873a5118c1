import { DEFAULT_DIAGRAM_DIR, writeDiagrams } from '../../model/diagram/write.ts';
import { parseFlags } from '../../src/cli/flags.ts';
import type { Command } from './command.ts';
import { policyFromFlags } from './paths.ts';

export const command: Command = {
  summary: 'write the statechart (Mermaid, SVG) and the decision table for a policy',
  usage: `Usage: ws-auth-conformance diagram [--policy FILE] [--profile NAME] [--out DIR]

Writes lifecycle.svg (the whole machine; Graphviz, offline), overview.svg (stage groups
left to right and the outcomes they end in), stage-<group>.svg (one view per group),
lifecycle.md and lifecycle.mmd (Mermaid for GitHub) and decision-table.md (reason ->
outcome per profile, and for the target's own overrides).

Options:
  --policy FILE   the target's auth contract (JSON; fields over its profile)
  --profile NAME  profile to use when no policy file is given (default: default)
  --out DIR       output directory (default: ${DEFAULT_DIAGRAM_DIR}, which is committed)
`,
  async run(argv) {
    const { values } = parseFlags(argv, { policy: { type: 'string' }, profile: { type: 'string' }, out: { type: 'string' } }, 'diagram');
    const policy = await policyFromFlags(values.policy, values.profile);
    const files = await writeDiagrams(policy, values.out ?? DEFAULT_DIAGRAM_DIR);
    process.stdout.write(`${files.map((f) => `wrote ${f}`).join('\n')}\n`);
    return 0;
  },
};
