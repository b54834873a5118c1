// Open sessions by user, so a change to a user row reaches that user's sockets.
import type { WebSocket } from 'ws';
import type { UserChange } from '../directory/directory.ts';

export class SessionRegistry {
  readonly #byUser = new Map<string, Set<WebSocket>>();

  add(userId: string, ws: WebSocket): void {
    let set = this.#byUser.get(userId);
    if (!set) this.#byUser.set(userId, (set = new Set()));
    set.add(ws);
  }

  delete(userId: string, ws: WebSocket): void {
    const set = this.#byUser.get(userId);
    set?.delete(ws);
    if (set?.size === 0) this.#byUser.delete(userId);
  }

  /** Sockets of the changed user; the caller decides whether the change revokes them. */
  socketsOf(change: UserChange): WebSocket[] {
    return [...(this.#byUser.get(change.userId) ?? [])];
  }

  all(): WebSocket[] {
    return [...this.#byUser.values()].flatMap((set) => [...set]);
  }
}
