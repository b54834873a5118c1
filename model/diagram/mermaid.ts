// Mermaid stateDiagram-v2: renders on GitHub and in most doc tools without a build step.
import { outcomeFamily, type Diagram } from './graph.ts';

const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const text = (s: string) => s.replace(/[:;#"]/g, ' ').replace(/\s+/g, ' ').trim();

const OUTCOME_STYLE: Record<string, string> = {
  accept: 'fill:#d8f3dc,stroke:#2d6a4f',
  'reject-401': 'fill:#ffe8cc,stroke:#d9480f',
  'reject-403': 'fill:#ffe3e3,stroke:#c92a2a',
  'close-1008': 'fill:#e5dbff,stroke:#5f3dc4',
  timeout: 'fill:#e9ecef,stroke:#495057',
};

export function toMermaid(diagram: Diagram): string {
  const lines = ['stateDiagram-v2', '  direction TB', `  [*] --> ${id(diagram.initial)}`];
  for (const group of diagram.groups) {
    lines.push(`  state "${text(group.label)}" as ${id(group.id)} {`);
    for (const node of group.nodes) lines.push(`    state "${text(node.label)}" as ${id(node.id)}`);
    lines.push('  }');
  }
  for (const { outcome, nodes } of diagram.outcomes) {
    for (const node of nodes) {
      lines.push(`  state "${text(node.label)}" as ${id(node.id)}`, `  ${id(node.id)} --> [*]`);
    }
    lines.push(`  class ${nodes.map((n) => id(n.id)).join(', ')} ${id(outcome)}`);
  }
  for (const edge of diagram.edges) lines.push(`  ${id(edge.from)} --> ${id(edge.to)} : ${text(edge.label)}`);
  for (const { outcome } of diagram.outcomes) lines.push(`  classDef ${id(outcome)} ${OUTCOME_STYLE[outcomeFamily(outcome)]}`);
  return `${lines.join('\n')}\n`;
}
