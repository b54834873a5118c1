// results.sarif: SARIF 2.1.0 for code scanning. One rule per check or hint, one result
// per divergence (and per NON-STRICT case, as a warning), located logically at the case
// and physically at the config or policy file that states the contract the backend broke.
import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { isCompleted, type ReportDocument } from './document.ts';
import { caseIdentity } from './identity.ts';
import { reportedDivergences, type Reported } from './reported.ts';
import { ALL_RULE_IDS, ruleText } from './rules.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where results point when the run had neither a config nor a policy file. */
export const DEFAULT_SARIF_LOCATION = 'ws-auth-conformance.config.ts';

function rule(id: string): ReportingDescriptor {
  const t = ruleText(id);
  return {
    id,
    name: t.name,
    shortDescription: { text: t.short },
    fullDescription: { text: t.full },
    help: { text: t.help, markdown: `**${t.short}**\n\n${t.full}\n\n${t.help}` },
    defaultConfiguration: { level: 'error' },
  };
}

const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

function result(r: Reported, ruleIndex: number, uri: string, withBaseline: boolean): Result {
  const identity = r.kase ? caseIdentity(r.kase) : r.key;
  const file = r.divergence?.counterexampleFile;
  const out: Result = {
    ruleId: r.ruleId,
    ruleIndex,
    level: r.level,
    message: {
      text: `${r.title} — case ${r.key} (${r.kase?.description ?? ''}): expected ${r.expected}, observed ${r.observed}, verdict ${r.verdict}${file ? `; replay: npx ws-auth-conformance replay ${file}` : ''}`,
    },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
        logicalLocations: [{ name: r.key, fullyQualifiedName: `ws-auth-conformance/${r.key}`, kind: 'object' }],
      },
    ],
    partialFingerprints: { 'wsacCaseIdentity/v1': fingerprint(`${r.ruleId}|${identity}`) },
    properties: { verdict: r.verdict, expected: r.expected, observed: r.observed, gate: r.gate, caseIdentity: identity },
  };
  if (withBaseline) out.baselineState = r.gate === 'known' ? 'unchanged' : 'new';
  return out;
}

export function sarifLog(doc: ReportDocument, version: string): Log {
  const reported = isCompleted(doc) ? reportedDivergences(doc) : [];
  const ids = [...new Set([...ALL_RULE_IDS, ...reported.map((r) => r.ruleId)])];
  const uri = (doc.configFile ?? DEFAULT_SARIF_LOCATION).replace(/\\/g, '/');
  const waivers = new Map((doc.gate?.waived ?? []).map((w) => [w.key, w.waiver]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ws-auth-conformance', semanticVersion: version, version, rules: ids.map(rule) } },
        invocations: [
          {
            executionSuccessful: doc.kind === 'completed' && !doc.partial,
            exitCode: doc.exitCode,
            ...(doc.error ? { toolExecutionNotifications: [{ level: 'error', message: { text: `${doc.error.code}: ${doc.error.message}` } }] } : {}),
          },
        ],
        results: reported.map((r) => {
          const res = result(r, ids.indexOf(r.ruleId), uri, Boolean(doc.gate?.baseline));
          const waiver = waivers.get(r.key);
          if (waiver) res.suppressions = [{ kind: 'external', status: 'accepted', justification: `${waiver.why} (waived until ${waiver.until})` }];
          return res;
        }),
        properties: { seed: doc.seed, policyDigest: doc.policyDigest, target: doc.target?.description },
      },
    ],
  };
}
