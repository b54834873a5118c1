import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../policy-file.ts';
import { profilePolicy, resolvePolicy } from '../policy.ts';
import { decisionTable } from './decision-table.ts';
import { DEFAULT_DIAGRAM_DIR, renderDiagrams } from './write.ts';

describe('diagrams', () => {
  it.each([
    ['default profile', DEFAULT_DIAGRAM_DIR, async () => profilePolicy('default')],
    ['first-message variant', join(DEFAULT_DIAGRAM_DIR, 'first-message'), () => loadPolicyFile(join(DEFAULT_DIAGRAM_DIR, 'first-message', 'policy.json'))],
  ])('committed docs for the %s match what the model generates (run `npm run diagram` after changing the model)', async (_name, dir, policy) => {
    const files = await renderDiagrams(await policy());
    for (const [name, content] of Object.entries(files)) {
      expect(await readFile(join(dir, name), 'utf8'), name).toBe(content);
    }
  });

  it('draws every stage and terminal, coloured by outcome', async () => {
    const files = await renderDiagrams(profilePolicy('default'));
    const mermaid = files['lifecycle.mmd']!;
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const id of ['origin', 'credential', 'signature', 'lookup', 'role', 'authenticated', 'alg_none', 'dependency_timeout']) {
      expect(mermaid).toMatch(new RegExp(`\\b${id}\\b`));
    }
    expect(files['lifecycle.svg']).toMatch(/^<\?xml|<svg/);
    expect(files['lifecycle.svg']).toContain('401 Unauthorized');
  });

  it('an overview no wider than a page, and one view per stage group holding all its checks', async () => {
    const files = await renderDiagrams(profilePolicy('default'));
    const widthOf = (svg: string) => Number(/<svg width="(\d+)pt"/.exec(svg)?.[1]);
    expect(widthOf(files['overview.svg']!)).toBeLessThan(widthOf(files['lifecycle.svg']!) / 3);
    const stages = Object.keys(files).filter((f) => f.startsWith('stage-'));
    expect(stages.sort()).toEqual(['stage-claims.svg', 'stage-directory.svg', 'stage-handshake.svg', 'stage-session.svg', 'stage-token.svg']);
    // Graphviz writes a hyphen in text as &#45;.
    const text = (name: string) => files[name]!.replaceAll('&#45;', '-');
    expect(text('stage-token.svg')).toContain('>alg-none<');
    expect(text('stage-token.svg')).not.toContain('user-unknown');
    expect(text('stage-directory.svg')).toContain('>user-unknown<');
  });

  it('the decision table shows each profile, and the target column only when it overrides', () => {
    const plain = decisionTable(profilePolicy('default'));
    expect(plain).toMatch(/\| `user-unknown` \| User state \| [^|]+ \| 403 \| 401 \| error, close 1006 \(not clean\) \|\n/);
    expect(plain).toMatch(/\| `session-token-expired` \|.*\| open, close 1008 "session-token-expired" \(clean\) \|\n/);
    expect(plain).not.toContain('this target');
    const own = decisionTable(resolvePolicy({ outcomes: { 'user-inactive': 'reject-401' } }));
    expect(own).toContain('this target');
    expect(own).toMatch(/\| `user-inactive` \| User state \| [^|]+ \| 403 \| 403 \| 401 \| error, close 1006 \(not clean\) \|\n/);
  });
});
