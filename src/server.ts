// The reference backend: node:http + ws (noServer), deciding at the `upgrade` event.
//
//   const directory = await openPgliteDirectory();          // or openPostgresDirectory(url)
//   await userSeeder(directory.sql).insert([{ user_id: 'u1', roles: ['chat'] }]);
//   const backend = await startReferenceBackend({ policy, keys: { secret }, directory });
//   backend.url;            // ws://127.0.0.1:PORT/ws
//   await backend.close();  // closes sockets (1001); the directory stays open (yours)
//
// To stall one user's lookup, pass a Directory that wraps `lookup` (and forwards
// subscribe/ping/close): the backend has no delay mechanism of its own.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Policy } from '../model/policy.ts';
import type { Directory } from './directory/directory.ts';
import { decide } from './handshake/decide.ts';
import { logDecision, requestIdOf } from './handshake/log-decision.ts';
import { pathOf, plainHttp, WS_PATH } from './http/plain.ts';
import { fingerprint } from './handshake/fingerprint.ts';
import { prepareKeys, type KeySource } from './handshake/keys.ts';
import { closeCode, rejectStatus } from '../model/reasons.ts';
import { writeRejection, writeResponse } from './handshake/respond.ts';
import { silentLogger, type Logger } from './log.ts';
import { assemble, type MutantId } from './mutants/index.ts';
import { awaitAuthMessage } from './session/first-message.ts';
import { SessionRegistry } from './session/registry.ts';
import { closeWithReason, GOING_AWAY, openSession, POLICY_VIOLATION, revokeOnChange } from './session/session.ts';

export { WS_PATH, HEALTH_PATH } from './http/plain.ts';

export interface ReferenceBackendOptions {
  policy: Policy;
  /** HS256: `{ secret, kid? }` (a token may name only that kid); asymmetric: `{ jwks }` (public keys) or `{ jwksUrl }` (policy.kid "jwks"). */
  keys: KeySource;
  directory: Directory;
  /** A field failure to reproduce (mutants/index.ts); none by default. */
  mutant?: MutantId | null;
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default silent: one line per decision at info level. */
  logger?: Logger;
}

export interface ReferenceBackend {
  /** ws://HOST:PORT/ws */
  url: string;
  port: number;
  host: string;
  mutant: MutantId | null;
  /** Closes open sockets with 1001 and stops listening; does not close the directory. */
  close(): Promise<void>;
}

// Large enough that an oversize token reaches the backend and gets its 401.
const MAX_HEADER_BYTES = 256 * 1024;
// For an assembly without a deadline (the no-deadline mutant): Node's own default.
const DEFAULT_HEAD_TIMEOUT_MS = 60_000;
const HEAD_GRACE_MS = 1000;

export async function startReferenceBackend(options: ReferenceBackendOptions): Promise<ReferenceBackend> {
  const { policy, directory } = options;
  const mutant = options.mutant ?? null;
  const logger = options.logger ?? silentLogger;
  const assembly = assemble(mutant);
  const keys = prepareKeys(assembly.resolveKeys(options.keys), policy);
  const registry = new SessionRegistry();
  const ctx = { assembly, policy, keys, directory, registry, logger };
  const unsubscribe = directory.subscribe((change) => revokeOnChange(change, ctx));
  const wss = new WebSocketServer({
    noServer: true,
    // Clients send one auth message at most; an oversize token in it must still get its 1008.
    maxPayload: Math.max(1024 * 1024, (policy.maxTokenBytes ?? 16384) * 4),
    // Echo a required subprotocol, else the credential's marker; never the token itself.
    handleProtocols: (offered) => {
      const { requiredSubprotocols, subprotocol } = policy.credentials;
      const chosen = requiredSubprotocols.find((p) => offered.has(p)) ?? (subprotocol.marker !== null && offered.has(subprotocol.marker) ? subprotocol.marker : undefined);
      return chosen ?? false;
    },
  });
  const handshakes = new Set<Duplex>();

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, ...headTimeouts(assembly.deadlineMs(policy)) }, plainHttp(directory));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    handshakes.add(socket);
    socket.once('close', () => handshakes.delete(socket));
    if (pathOf(req) !== WS_PATH) return writeResponse(socket, 404, { error: 'not-found' });
    const handle = assembly.validateAfterUpgrade ? upgradeThenDecide : decideThenUpgrade;
    handle(req, socket, head).catch((error: Error) => {
      logger.error('handshake-failed', { error: error.message });
      socket.destroy();
    });
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      handshakes.delete(socket);
      ws.on('error', () => {});
      then(ws);
    });
  }

  async function decideThenUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const startedAt = performance.now();
    const decision = await decide(req, ctx);
    logDecision(logger, decision, startedAt, assembly, policy, req);
    switch (decision.kind) {
      case 'accept':
        return upgrade(req, socket, head, (ws) => openSession(ws, decision.user, decision.claims, fingerprint(decision.token), ctx, requestIdOf(req)));
      case 'first-message':
        return upgrade(req, socket, head, (ws) => awaitAuthMessage(ws, req, ctx));
      case 'reject': {
        // A policy may declare an accept-then-close for a reason: upgrade, then close with its code.
        const close = closeCode(policy.outcomes[decision.reason]);
        if (close !== null) return upgrade(req, socket, head, (ws) => closeWithReason(ws, close, decision.reason));
        return writeRejection(socket, assembly.status(decision.reason, policy), decision.reason);
      }
      case 'stalled': {
        // The model's `timeout`: no answer, the socket released by the deadline; or what the policy declares.
        const declared = policy.outcomes['dependency-timeout'];
        const status = rejectStatus(declared);
        const close = closeCode(declared);
        if (status !== null) return writeResponse(socket, status, { error: 'dependency-timeout' });
        if (close !== null) return upgrade(req, socket, head, (ws) => closeWithReason(ws, close, 'dependency-timeout'));
        socket.destroy();
        return;
      }
      case 'error':
        return writeResponse(socket, 503, { error: 'directory-unavailable' });
    }
  }

  // The accept-then-1008 mutant: the same decision, taken after the 101.
  async function upgradeThenDecide(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    upgrade(req, socket, head, (ws) => {
      const startedAt = performance.now();
      void decide(req, ctx).then((decision) => {
        logDecision(logger, decision, startedAt, assembly, policy, req);
        switch (decision.kind) {
          case 'accept':
            return openSession(ws, decision.user, decision.claims, fingerprint(decision.token), ctx, requestIdOf(req));
          case 'first-message':
            return awaitAuthMessage(ws, req, ctx);
          case 'reject':
            return closeWithReason(ws, POLICY_VIOLATION, decision.reason);
          case 'stalled':
            return closeWithReason(ws, POLICY_VIOLATION, 'dependency-timeout');
          case 'error':
            return closeWithReason(ws, 1011, 'directory-unavailable');
        }
      });
    });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => {
      unsubscribe();
      reject(error);
    };
    server.once('error', failed);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed);
      server.on('error', (error) => logger.error('server-error', { error: error.message }));
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `ws://${urlHost(host)}:${port}${WS_PATH}`;
  logger.info('listening', { url, mutant, keys: keys.fingerprint, profile: policy.profile });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    mutant,
    close() {
      closing ??= (async () => {
        unsubscribe();
        server.close();
        for (const ws of wss.clients) closeWithReason(ws, GOING_AWAY, 'server-shutdown');
        for (const socket of handshakes) socket.destroy();
        await waitForClients(wss, 1000);
        server.closeAllConnections();
        wss.close();
      })();
      return closing;
    },
  };
}

// A request head that is slow or never ends (slowloris) is dropped a second after the
// handshake deadline, not by Node's defaults (60 s, checked every 30 s). The second is
// for a client (or this server) slowed by a busy machine: Node's check can run before
// bytes already received are read, and a 408 to a real client would be a false answer.
// The check runs often enough that thousands of sockets are released a few at a time.
function headTimeouts(deadlineMs: number | null): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  const ms = deadlineMs === null ? DEFAULT_HEAD_TIMEOUT_MS : deadlineMs + HEAD_GRACE_MS;
  return { headersTimeout: ms, requestTimeout: ms, connectionsCheckingInterval: Math.max(10, Math.min(250, Math.floor(ms / 4))) };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function waitForClients(wss: WebSocketServer, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const ws of wss.clients) ws.terminate();
}
