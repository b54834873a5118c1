// PostgreSQL as the users directory of a containerised backend: the official image's
// contract (any image honouring POSTGRES_*), a non-superuser role for the backend, the
// users table, and the stall machinery of stall-sql.ts.
import { PostgreSqlContainer, StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { defaultContainerConfig, type PostgresConfig, type StallConfig } from './config.ts';
import { stallInstallSql, STALL_USER_SQL, UNSTALL_USER_SQL } from './stall-sql.ts';

export class UsersDatabaseContainer extends PostgreSqlContainer {
  private readonly settings: PostgresConfig;
  private setupSql = '';
  private stall: StallConfig | null = null;

  constructor(settings: PostgresConfig = defaultContainerConfig().postgres) {
    super(settings.image);
    this.settings = settings;
    this.withDatabase(settings.database).withUsername(settings.username).withPassword(settings.password);
    this.withNetworkAliases(settings.networkAlias);
    this.withStartupTimeout(settings.startupTimeoutMs);
    // A throwaway database: durability buys nothing and costs every seeding round trip.
    this.withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
    // The data directory in memory: initdb without fsyncs is seconds faster, and the
    // image's VOLUME gets no anonymous volume to outlive the container.
    this.withTmpFs({ '/var/lib/postgresql/data': 'rw' });
    this.withEnvironment({ POSTGRES_INITDB_ARGS: '--no-sync' });
  }

  /** SQL run as the superuser once the server is up, before the backend starts (tables, grants). */
  withSetupSql(sql: string): this {
    this.setupSql = sql;
    return this;
  }

  /** Installs per-user stalls on the users table (row-level security, see stall-sql.ts). */
  withStalls(stall: StallConfig | null): this {
    this.stall = stall?.enabled ? stall : null;
    return this;
  }

  override async start(): Promise<StartedUsersDatabaseContainer> {
    const started = await super.start();
    const role = this.settings.backendRole;
    const client = new pg.Client({ connectionString: started.getConnectionUri() });
    await client.connect();
    try {
      // The backend must not be a superuser: superusers bypass row-level security.
      await client.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role.name)}) THEN
          CREATE ROLE "${role.name}" LOGIN PASSWORD ${literal(role.password)} NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$;
      GRANT USAGE, CREATE ON SCHEMA public TO "${role.name}";`);
      if (this.setupSql) await client.query(this.setupSql);
      if (this.stall) await client.query(stallInstallSql(this.stall));
    } finally {
      await client.end();
    }
    return new StartedUsersDatabaseContainer(started, this.settings, this.stall);
  }
}

export class StartedUsersDatabaseContainer extends StartedPostgreSqlContainer {
  private pool: pg.Pool | null = null;

  constructor(
    started: StartedPostgreSqlContainer,
    private readonly settings: PostgresConfig,
    private readonly stall: StallConfig | null,
  ) {
    super(started, started.getDatabase(), started.getUsername(), started.getPassword());
  }

  /** Superuser connection string from the host: what the engine seeds users through. */
  getHostUrl(): string {
    return this.getConnectionUri();
  }

  /** The connection string the backend uses inside the network (its own role, the network alias). */
  getBackendUrl(): string {
    const { name, password } = this.settings.backendRole;
    return `postgres://${encodeURIComponent(name)}:${encodeURIComponent(password)}@${this.settings.networkAlias}:5432/${encodeURIComponent(this.settings.database)}`;
  }

  canStall(): boolean {
    return this.stall !== null;
  }

  async query(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    this.pool ??= new pg.Pool({ connectionString: this.getHostUrl(), max: 4 });
    return this.pool.query(sql, params);
  }

  /** Makes the backend's lookup of this user hang for `ms` (default: the configured stall). */
  async stallUser(userId: string, ms = this.stall?.stallMs ?? 0): Promise<void> {
    if (!this.stall) throw new Error('stalls are not installed in this database (stall.enabled is false)');
    await this.query(STALL_USER_SQL, [userId, ms]);
  }

  async unstallUser(userId: string): Promise<void> {
    if (this.stall) await this.query(UNSTALL_USER_SQL, [userId]);
  }

  async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
