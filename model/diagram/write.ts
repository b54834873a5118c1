// The architect-facing artefacts of a policy: Mermaid, SVG and the decision table.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineFor } from '../machine.ts';
import { policyDigest, type Policy } from '../policy.ts';
import { decisionTable } from './decision-table.ts';
import { renderSvg, toDot } from './dot.ts';
import { diagramOf } from './graph.ts';
import { toMermaid } from './mermaid.ts';

export const DEFAULT_DIAGRAM_DIR = 'docs/model';

export async function renderDiagrams(policy: Policy): Promise<Record<string, string>> {
  const diagram = diagramOf(machineFor(policy));
  const mermaid = toMermaid(diagram);
  const title = `WebSocket handshake authentication (profile ${policy.profile}, policy ${policyDigest(policy)})`;
  return {
    'lifecycle.mmd': mermaid,
    'lifecycle.md': `# ${title}\n\nGenerated from the model (\`ws-auth-conformance diagram\`); do not edit by hand.\nRendered: [lifecycle.svg](lifecycle.svg). Reasons and outcomes: [decision-table.md](decision-table.md).\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`,
    'lifecycle.svg': await renderSvg(toDot(diagram, title)),
    'decision-table.md': decisionTable(policy),
  };
}

export async function writeDiagrams(policy: Policy, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = await renderDiagrams(policy);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return Object.keys(files).map((name) => join(dir, name));
}
