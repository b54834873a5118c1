// Test support: a `ws` client that records the wire evidence of one connection
// attempt, token minting with jose, and a directory wrapper that stalls chosen users.
// Used by tests only; nothing in the request path imports it.
import { SignJWT, type JWTPayload } from 'jose';
import WebSocket from 'ws';
import type { Directory, DirectoryUser } from '../directory/directory.ts';

export const ISSUER = 'https://issuer.ws-auth-conformance.test';
export const AUDIENCE = 'ws-chat';
export const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const ALLOWED_ORIGIN = 'https://app.ws-auth-conformance.test';

export interface Observation {
  /** 101 when upgraded, the HTTP status when refused, null when no response came. */
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  protocol: string;
  messages: string[];
  close: { code: number; reason: string; atMs: number } | null;
  error: { message: string; atMs: number } | null;
  elapsedMs: number;
}

export interface AttemptOptions {
  headers?: Record<string, string>;
  protocols?: string[];
  /** How long to watch an open socket before the client closes it (1000). */
  observeMs?: number;
  /** Client-side handshake deadline (30 s: a safety net, long enough for a busy runner). */
  handshakeTimeoutMs?: number;
  /** Text frames sent right after open. */
  send?: string[];
  /** Called once the socket is open (after the 101), e.g. to change the user only then. */
  onOpen?: () => void;
}

export function attempt(url: string, options: AttemptOptions = {}): Promise<Observation> {
  const started = performance.now();
  const at = () => Math.round(performance.now() - started);
  const obs: Observation = { status: null, headers: {}, body: '', protocol: '', messages: [], close: null, error: null, elapsedMs: 0 };
  return new Promise((resolve) => {
    let done = false;
    let watch: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(watch);
      obs.elapsedMs = at();
      resolve(obs);
    };
    const ws = new WebSocket(url, options.protocols ?? [], {
      headers: options.headers ?? {},
      handshakeTimeout: options.handshakeTimeoutMs ?? 30_000,
    });
    ws.on('upgrade', (res) => {
      obs.status = res.statusCode ?? null;
      obs.headers = res.headers;
    });
    ws.on('unexpected-response', (_req, res) => {
      obs.status = res.statusCode ?? null;
      obs.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (obs.body += chunk));
      res.on('end', finish);
      res.on('error', finish);
    });
    ws.on('open', () => {
      obs.protocol = ws.protocol;
      options.onOpen?.();
      for (const m of options.send ?? []) ws.send(m);
      watch = setTimeout(() => ws.close(1000, 'client-done'), options.observeMs ?? 200);
    });
    ws.on('message', (data) => obs.messages.push(data.toString()));
    ws.on('close', (code, reason) => {
      obs.close = { code, reason: reason.toString(), atMs: at() };
      finish();
    });
    ws.on('error', (error) => {
      obs.error ??= { message: error.message, atMs: at() };
      if (obs.status === null || obs.status === 101) finish();
    });
  });
}

export type ClaimsInput = Record<string, unknown>;

export interface MintOptions {
  secret?: string | Uint8Array | CryptoKey | import('node:crypto').KeyObject;
  alg?: string;
  /** Header members over { alg, typ: 'at+jwt' }; a member set to undefined is removed. */
  header?: Record<string, unknown>;
  /** Claims over the valid defaults; a claim set to undefined is removed. */
  claims?: ClaimsInput;
}

export function validClaims(sub = 'alice'): ClaimsInput {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub, iat: now, exp: now + 300 };
}

const prune = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export async function mint(options: MintOptions = {}): Promise<string> {
  const claims = prune({ ...validClaims(), ...options.claims });
  const header = prune({ alg: options.alg ?? 'HS256', typ: 'at+jwt', ...options.header });
  const key = options.secret ?? new TextEncoder().encode(SECRET);
  const signer = new SignJWT(claims as JWTPayload).setProtectedHeader(header as { alg: string });
  return signer.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}

/** Bytes jose will not produce: any header and payload, any signature segment. */
export function craft(header: unknown, payload: unknown, signature = ''): string {
  const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Wraps a directory so lookups of the given users never answer (until released). */
export function stallingDirectory(inner: Directory, stalled: ReadonlySet<string>): Directory & { release(): void } {
  const waiting: Array<() => void> = [];
  return {
    lookup: (userId) =>
      stalled.has(userId)
        ? new Promise<DirectoryUser | null>((resolve) => waiting.push(() => void inner.lookup(userId).then(resolve)))
        : inner.lookup(userId),
    subscribe: (listener) => inner.subscribe(listener),
    ping: () => inner.ping(),
    close: () => inner.close(),
    release: () => waiting.splice(0).forEach((go) => go()),
  };
}

/** An `onOpen` for attempt() and a promise that settles when it is called. */
export function whenOpen(): { onOpen: () => void; open: Promise<void> } {
  let onOpen!: () => void;
  const open = new Promise<void>((resolve) => (onOpen = resolve));
  return { onOpen, open };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `error` member of a JSON body, or undefined. */
export function errorOf(obs: Observation): string | undefined {
  try {
    return (JSON.parse(obs.body) as { error?: string }).error;
  } catch {
    return undefined;
  }
}
