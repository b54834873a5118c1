// Runs the tool against one example over several seeds and prints, per seed, the
// distinct findings of the model paths and the divergent cases no known finding
// explains (what the example test asserts for one seed):
//   node --import tsx conformance/examples/seeds.ts fastify-jwt [--fixed] [--seeds 1-5] [--runs 100]
import { pathFindings, runTool, signature, startExample, unexplained, type KnownFinding } from './harness.ts';

const [example, ...rest] = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = rest.indexOf(name);
  return i >= 0 && rest[i + 1] ? rest[i + 1]! : fallback;
};
const fixed = rest.includes('--fixed');
const [from, to] = option('--seeds', '1-5').split('-').map(Number) as [number, number];
const runs = Number(option('--runs', '100'));
if (!example) {
  console.error('usage: seeds.ts <example> [--fixed] [--seeds 1-5] [--runs 100]');
  process.exit(2);
}
const { FINDINGS } = (await import(`./${example}/findings.ts`)) as { FINDINGS: KnownFinding[] };
const expected = fixed ? [] : FINDINGS;
const app = await startExample(example, fixed);
try {
  for (let seed = from; seed <= (to ?? from); seed++) {
    const { report, output } = await runTool(example, app, seed, runs);
    if (report.kind !== 'completed') {
      console.log(`seed ${seed}: ${report.kind}\n${output}`);
      continue;
    }
    const divergent = report.cases.filter((c) => c.divergent).length;
    console.log(`seed ${seed}: ${report.cases.length} cases, ${divergent} divergent, exit ${report.exitCode}, canary ${report.preflight.canary?.ok ? 'ok' : 'FAILED'}`);
    for (const f of pathFindings(report)) console.log(`  finding: ${f} (${FINDINGS.find((k) => signature(k) === f)?.kind ?? 'not in findings.ts'})`);
    for (const u of unexplained(report, expected)) console.log(`  UNEXPLAINED: ${u}`);
  }
} finally {
  app.stop();
}
