// The user directory as the backend sees it: one lookup per handshake, and a stream
// of changes so open sessions learn about deactivation or deletion. The engine wraps
// a Directory at this boundary (e.g. to stall one user's lookup); nothing a request
// carries can change how it answers.

export interface DirectoryUser {
  userId: string;
  isActive: boolean;
  roles: string[];
}

/** A user row changed or disappeared; `user` is null when it was deleted. */
export interface UserChange {
  userId: string;
  user: DirectoryUser | null;
}

export interface Directory {
  /** The user, or null when there is none with this id. */
  lookup(userId: string): Promise<DirectoryUser | null>;
  /** Calls `listener` for every update or delete of a user row; returns the unsubscribe function. */
  subscribe(listener: (change: UserChange) => void): () => void;
  /** Resolves when the store answers a trivial query (`SELECT 1`); used by `/healthz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The part of a PostgreSQL client both PGlite and `pg` offer. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A Directory backed by SQL; `sql` is for seeding (see seed.ts), never used by the request path. */
export interface SqlDirectory extends Directory {
  readonly sql: SqlClient;
}
