// The bench's yardstick: the engine's own cases, forged beforehand (the same request
// bytes the engine would send: path, headers, subprotocols, token), sent by a bare `ws`
// client that only waits for the answer. It pays for no forging, seeding or judging,
// so engine / yardstick is the engine's cost on the very same mix of answers.
import WebSocket from 'ws';
import type { Case } from '../cases/case.ts';
import { forgeRequest, type ForgedRequest } from '../cases/forge/request.ts';
import { KeyRing } from '../cases/forge/token.ts';
import { estimatedCost, userRequestFor, variantOf, type DriveSettings } from '../drive/execute.ts';
import { runPool } from '../pool/pool.ts';
import type { Target } from '../targets/target.ts';

export interface Forged {
  kase: Case;
  request: ForgedRequest;
}

export interface YardstickRound {
  wallMs: number;
  /** Answers by kind: `101`, `401`, `403`, `hang`, `error`, ... */
  answers: Record<string, number>;
}

/** Seeds the cases' users and forges their requests, outside any timing. */
export async function forgeAll(target: Target, cases: readonly Case[], settings: DriveSettings, round: string): Promise<Forged[]> {
  const userRequests = cases.map((kase, i) => userRequestFor(kase, settings, `yardstick-${round}-${i}`));
  const ids = target.prepareUsers
    ? await target.prepareUsers(userRequests)
    : await Promise.all(userRequests.map((r) => target.prepareUser(r.caseId, r.kind, r)));
  const ring = new KeyRing(target.keys);
  const endpoint = new URL(target.url);
  const now = Date.now();
  return Promise.all(
    cases.map(async (kase, i) => ({
      kase,
      request: await forgeRequest(kase.facts, target.policy, ring, endpoint.pathname + endpoint.search, ids[i]!, now, variantOf(kase.variantKey ?? kase.key)),
    })),
  );
}

/** Sends every forged request, `concurrency` at once, slow ones first as the engine does; accepted sockets are held for the observe window. */
export async function sendAll(url: string, forged: readonly Forged[], concurrency: number, settings: DriveSettings, policy: Target['policy']): Promise<YardstickRound> {
  const answers: Record<string, number> = {};
  const started = performance.now();
  await runPool(forged, concurrency, (f) => estimatedCost(f.kase, policy.authWindowMs, policy.clockSkewSeconds, settings), async (f) => {
    const answer = await sendOne(url, f.request, settings);
    answers[answer] = (answers[answer] ?? 0) + 1;
  });
  return { wallMs: performance.now() - started, answers };
}

function sendOne(url: string, request: ForgedRequest, settings: DriveSettings): Promise<string> {
  const target = new URL(request.path, url);
  const headers: Record<string, string> = {};
  for (const [k, v] of request.headers) headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  return new Promise((resolve) => {
    let answer = 'error';
    const ws = new WebSocket(target, request.protocols, { headers, perMessageDeflate: false, followRedirects: false });
    const deadline = setTimeout(() => {
      answer = 'hang';
      ws.terminate();
    }, settings.deadlineMs);
    ws.once('upgrade', () => {
      clearTimeout(deadline);
      answer = '101';
    });
    ws.once('open', () => {
      if (request.authMessage !== null) ws.send(request.authMessage);
      setTimeout(() => ws.close(1000), settings.observeMs);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(deadline);
      answer = String(res.statusCode);
      res.resume();
      res.once('end', () => ws.terminate());
    });
    ws.on('error', () => {});
    ws.once('close', () => {
      clearTimeout(deadline);
      resolve(answer);
    });
  });
}
