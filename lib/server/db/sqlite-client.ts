/**
 * The part of @libsql/client's local-file client that Prisma's libsql adapter uses (execute,
 * executeMultiple, transaction, close), on ONE kept libsql connection with a cache of prepared
 * statements. @libsql/client prepares every statement again on each call (and asks for its columns
 * twice), and opens a new connection after every transaction (handing the old one to it): under load
 * that was a sixth of the app's CPU. Keeping the connection is safe because the adapter already
 * serializes everything on it with a mutex and holds that mutex for a whole transaction.
 *
 * Results have the shape @libsql/client returns in its default "number" integer mode: rows as arrays,
 * integers as numbers (a RangeError beyond 2^53, as there), blobs as ArrayBuffers, and driver errors
 * keep libsql's code and rawCode, which the adapter maps to Prisma's errors.
 *
 * No "server-only": scripts use the same adapter.
 */
import Database from "libsql";
import type { Client, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";

interface TNativeStatement {
  raw(toggle?: boolean): TNativeStatement;
  safeIntegers(toggle?: boolean): TNativeStatement;
  columns(): Array<{ name: string; type: string | null }>;
  all(parameters: unknown[] | Record<string, unknown>): unknown[][];
  run(parameters: unknown[] | Record<string, unknown>): { changes: number; lastInsertRowid: number | bigint };
}

interface TNativeDatabase {
  prepare(sql: string): TNativeStatement;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}

type TNativeDatabaseConstructor = new (path: string, options?: { timeout?: number }) => TNativeDatabase;

interface TCachedStatement {
  statement: TNativeStatement;
  /** Column names and declared types, or null for a statement that returns no rows. */
  columns: string[] | null;
  columnTypes: string[];
}

/** Distinct SQL texts kept prepared; Prisma's statements vary with the length of IN lists, so the cache is bounded. */
export const STATEMENT_CACHE_SIZE = 500;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function toSql(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function result(columns: string[], columnTypes: string[], rows: unknown[][], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return { columns, columnTypes, rows: rows as unknown as ResultSet["rows"], rowsAffected, lastInsertRowid, toJSON: () => ({ columns, columnTypes, rows, rowsAffected }) };
}

/** One connection and its statement cache; the client and its transactions share it. */
class CachedConnection {
  private readonly statements = new Map<string, TCachedStatement>();

  constructor(readonly native: TNativeDatabase) {}

  private prepared(sql: string): TCachedStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Most recently used last: the first key is the one to evict.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.native.prepare(sql);
    statement.safeIntegers(true);
    let entry: TCachedStatement;
    try {
      statement.raw(true);
      const described = statement.columns();
      entry = { statement, columns: described.map((column) => column.name), columnTypes: described.map((column) => column.type ?? "") };
    } catch {
      // raw() throws for a statement that returns no rows (INSERT, UPDATE, ... without RETURNING).
      entry = { statement, columns: null, columnTypes: [] };
    }
    this.statements.set(sql, entry);
    if (this.statements.size > STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    return entry;
  }

  execute(input: InStatement, positional?: unknown[]): ResultSet {
    const sql = typeof input === "string" ? input : input.sql;
    const rawArgs = typeof input === "string" ? (positional ?? []) : (input.args ?? []);
    const args = Array.isArray(rawArgs)
      ? rawArgs.map(toSql)
      : Object.fromEntries(Object.entries(rawArgs).map(([name, value]) => [/^[@$:]/.test(name) ? name.slice(1) : name, toSql(value)]));
    const { statement, columns, columnTypes } = this.prepared(sql);
    if (columns) {
      const rows = statement.all(args);
      for (const row of rows) for (let index = 0; index < row.length; index++) row[index] = fromSql(row[index]);
      return result(columns, columnTypes, rows, 0, undefined);
    }
    const info = statement.run(args);
    return result([], [], [], info.changes, BigInt(info.lastInsertRowid));
  }

  close(): void {
    this.statements.clear();
    this.native.close();
  }
}

class CachedSqliteTransaction {
  closed = false;

  constructor(private readonly connection: CachedConnection) {}

  async execute(input: InStatement): Promise<ResultSet> {
    if (this.closed) throw new Error("The transaction is closed");
    return this.connection.execute(input);
  }

  async commit(): Promise<void> {
    if (this.closed) throw new Error("The transaction is closed");
    this.closed = true;
    this.connection.native.exec("COMMIT");
  }

  async rollback(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.connection.native.inTransaction) this.connection.native.exec("ROLLBACK");
  }

  close(): void {
    void this.rollback();
  }
}

const BEGIN: Record<TransactionMode, string> = { write: "BEGIN IMMEDIATE", read: "BEGIN TRANSACTION READONLY", deferred: "BEGIN DEFERRED" };

/** Opens `path` (":memory:" or a file path) like @libsql/client's createClient({ url: "file:…" }) does. */
export function createCachedSqliteClient(path: string, options: { timeout?: number } = {}): Client {
  const connection = new CachedConnection(new (Database as unknown as TNativeDatabaseConstructor)(path, { timeout: options.timeout }));
  let closed = false;
  const open = () => {
    if (closed) throw new Error("The client is closed");
    return connection;
  };
  const client = {
    protocol: "file",
    get closed() {
      return closed;
    },
    async execute(input: InStatement, positional?: unknown[]) {
      return open().execute(input, positional);
    },
    async executeMultiple(sql: string) {
      open().native.exec(sql);
    },
    async transaction(mode: TransactionMode = "write") {
      open().native.exec(BEGIN[mode]);
      return new CachedSqliteTransaction(connection) as unknown as Transaction;
    },
    close() {
      if (closed) return;
      closed = true;
      connection.close();
    },
  };
  return client as unknown as Client;
}
