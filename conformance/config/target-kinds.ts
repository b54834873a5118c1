// Target kinds by name, as written in configs and on the command line. A new kind
// (e.g. `container`) adds one line here and one file in targets/.
import type { Target } from '../targets/target.ts';
import type { ResolvedConfig } from './schema.ts';

export type TargetFactory = (config: ResolvedConfig) => Promise<Target>;

export const TARGETS: Record<string, () => Promise<TargetFactory>> = {
  embedded: async () => {
    const { startEmbeddedTarget } = await import('../targets/embedded.ts');
    return (c) => startEmbeddedTarget({ policy: c.policy, mutant: c.mutant, quickTiming: c.quickTiming });
  },
  container: async () => {
    const { startContainerTarget } = await import('../targets/container.ts');
    return (c) => {
      const { kind: _kind, ...target } = c.target as { kind: string };
      return startContainerTarget({ policy: c.policy, target, mutant: c.mutant });
    };
  },
  url: async () => {
    const { startUrlTarget } = await import('../targets/url.ts');
    const { resolveUrlTarget } = await import('./url-target.ts');
    return async (c) => startUrlTarget(await resolveUrlTarget(c));
  },
};
