// The architect-facing artefacts of a policy: Mermaid, SVG and the decision table.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineFor } from '../machine.ts';
import { policyDigest, type Policy } from '../policy.ts';
import { decisionTable } from './decision-table.ts';
import { renderSvg, toDot } from './dot.ts';
import { diagramOf } from './graph.ts';
import { toMermaid } from './mermaid.ts';
import { groupKey, overviewDot, stageDot } from './views.ts';

export const DEFAULT_DIAGRAM_DIR = 'docs/model';

export async function renderDiagrams(policy: Policy): Promise<Record<string, string>> {
  const diagram = diagramOf(machineFor(policy));
  const mermaid = toMermaid(diagram);
  const title = `WebSocket handshake authentication (profile ${policy.profile}, policy ${policyDigest(policy)})`;
  const stages: Record<string, string> = {};
  for (const group of diagram.groups) stages[`stage-${groupKey(group)}.svg`] = await renderSvg(stageDot(diagram, group, `${group.label} (profile ${policy.profile})`));
  const views = [
    '## Overview',
    '',
    '![overview](overview.svg)',
    '',
    ...diagram.groups.flatMap((g) => [`## ${g.label}`, '', `![${g.label}](stage-${groupKey(g)}.svg)`, '']),
  ].join('\n');
  return {
    'lifecycle.mmd': mermaid,
    'lifecycle.md': `# ${title}\n\nGenerated from the model (\`ws-auth-conformance diagram\`); do not edit by hand.\nThe whole machine in one picture: [lifecycle.svg](lifecycle.svg). Reasons and outcomes: [decision-table.md](decision-table.md).\n\n${views}\n## The machine (Mermaid)\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`,
    'lifecycle.svg': await renderSvg(toDot(diagram, title)),
    'overview.svg': await renderSvg(overviewDot(diagram, title)),
    ...stages,
    'decision-table.md': decisionTable(policy),
  };
}

export async function writeDiagrams(policy: Policy, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = await renderDiagrams(policy);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return Object.keys(files).map((name) => join(dir, name));
}
