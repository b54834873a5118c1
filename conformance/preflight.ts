// Before any case: is the target there (TCP), healthy (/healthz when it has one), and
// does it accept the canonical valid case (the canary)? An absent or unhealthy target
// ends the run as "target unreachable" (exit 2), not as a wall of 401 divergences.
import net from 'node:net';
import type { PreflightReport } from './result.ts';
import type { Target } from './targets/target.ts';

export async function checkReachable(target: Target, timeoutMs: number): Promise<PreflightReport['reachable']> {
  const url = new URL(target.url);
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean, detail: string) => {
      socket.destroy();
      resolve({ ok, detail });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no TCP connection to ${url.host} within ${timeoutMs} ms`));
    socket.once('connect', () => done(true, `TCP connect to ${url.host} ok`));
    socket.once('error', (e: NodeJS.ErrnoException) => done(false, `cannot connect to ${url.host}: ${e.code ?? e.message}`));
  });
}

export async function checkHealth(target: Target, timeoutMs: number): Promise<PreflightReport['health']> {
  if (!target.healthUrl) return null;
  try {
    const res = await fetch(target.healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    // Only a server error says "unhealthy"; a 4xx means there is no usable health endpoint.
    if (res.status >= 400 && res.status < 500) return { ok: true, detail: `${target.healthUrl}: ${res.status}, no usable health endpoint (skipped)` };
    return res.ok ? { ok: true, detail: `${target.healthUrl}: ${res.status}` } : { ok: false, detail: `${target.healthUrl} answered ${res.status}: the target is unhealthy` };
  } catch (error) {
    return { ok: false, detail: `${target.healthUrl}: ${(error as Error).message}` };
  }
}
