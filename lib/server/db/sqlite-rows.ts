import "server-only";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile, writableSqlite, type SqliteConnection } from "@/lib/server/db/sqlite-direct";

/**
 * Hot reads on the app's SQLite file without Prisma: prepared statements on the process's own
 * connection (the one the battle writer uses; its write transactions are synchronous, so a read never
 * sees half of one), rows converted to exactly the values Prisma returns for the model. Prisma's
 * query compilation and result mapping cost ~80 µs of CPU per query against ~10 µs for the prepared
 * statement; the vote path runs eight such reads per cycle. Everything else reads through Prisma.
 *
 * Column types come from the generated client's own data model, so a schema change cannot leave a
 * conversion behind; tests/integration/db/sqlite-rows.test.ts compares these rows with Prisma's.
 */

type TScalarType = "String" | "Int" | "Float" | "Boolean" | "DateTime" | "Json" | "BigInt" | "Bytes" | "Decimal";

interface TRuntimeField {
  name: string;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
}

interface TRuntimeDataModel {
  models: Record<string, { fields: TRuntimeField[] }>;
}

type TConvert = (value: unknown) => unknown;

const CONVERTERS: Partial<Record<TScalarType, TConvert>> = {
  DateTime: (value) => (value === null ? null : new Date(typeof value === "number" ? value : String(value))),
  Boolean: (value) => (value === null ? null : value === 1 || value === true || value === "1"),
  Json: (value) => (value === null ? null : JSON.parse(String(value))),
  BigInt: (value) => (value === null ? null : BigInt(value as number)),
  Bytes: (value) => (value === null ? null : new Uint8Array(value as ArrayBuffer)),
};

/** A model's scalar columns (all but `omit`): the conversion each needs to look like Prisma's value, and their SELECT list. */
interface TModelColumns {
  converts: Map<string, TConvert | null>;
  selectList: string;
}

function modelColumns(dataModel: TRuntimeDataModel, model: string, omit: readonly string[]): TModelColumns {
  const fields = dataModel.models[model]?.fields;
  if (!fields) throw new Error(`No model ${model} in the Prisma data model`);
  const converts = new Map<string, TConvert | null>();
  for (const field of fields) {
    if ((field.kind !== "scalar" && field.kind !== "enum") || omit.includes(field.name)) continue;
    if (field.kind === "scalar" && field.type === "Decimal") throw new Error(`${model}.${field.name}: Decimal columns are not read directly`);
    converts.set(field.name, (field.kind === "scalar" && CONVERTERS[field.type as TScalarType]) || null);
  }
  return { converts, selectList: [...converts.keys()].map((name) => `"${name}"`).join(", ") };
}

interface TRawStatement {
  raw(toggle?: boolean): TRawStatement;
  columns(): Array<{ name: string }>;
  all(...parameters: unknown[]): unknown[][];
  /** The first row: one call into the driver, where `all` makes one per row plus one. */
  get(...parameters: unknown[]): unknown[] | undefined;
}

/** A prepared statement returning rows as arrays, with the names and conversions of its columns. */
interface TReadStatement {
  statement: TRawStatement;
  names: string[];
  converts: (TConvert | null)[];
}

export class SqliteReader {
  private readonly statements = new Map<string, TReadStatement>();
  private readonly models = new Map<string, TModelColumns>();

  constructor(
    private readonly connection: SqliteConnection,
    private readonly dataModel: TRuntimeDataModel,
  ) {}

  private columnsOf(model: string, omit: readonly string[] = []): TModelColumns {
    const key = `${model}\u0000${omit.join(",")}`;
    let columns = this.models.get(key);
    if (!columns) this.models.set(key, (columns = modelColumns(this.dataModel, model, omit)));
    return columns;
  }

  /** The SELECT list of `model`: every scalar column but `omit`, quoted. */
  columns(model: string, omit: readonly string[] = []): string {
    return this.columnsOf(model, omit).selectList;
  }

  private statement(model: string, sql: string): TReadStatement {
    let entry = this.statements.get(sql);
    if (!entry) {
      const statement = (this.connection.prepare(sql) as unknown as TRawStatement).raw(true);
      const names = statement.columns().map((column) => column.name);
      const conversions = model ? this.columnsOf(model).converts : new Map<string, TConvert | null>();
      entry = { statement, names, converts: names.map((name) => conversions.get(name) ?? null) };
      this.statements.set(sql, entry);
    }
    return entry;
  }

  /** Rows of `model` (all its columns with `columns(model, omit)`, or some), as Prisma returns them. */
  rows<T>(model: string, sql: string, parameters: unknown[]): T[] {
    const entry = this.statement(model, sql);
    return entry.statement.all(...parameters).map((values) => toRow<T>(entry, values));
  }

  /** The first row of `model` (see `rows`), or null. */
  row<T>(model: string, sql: string, parameters: unknown[]): T | null {
    const entry = this.statement(model, sql);
    const values = entry.statement.get(...parameters);
    return values ? toRow<T>(entry, values) : null;
  }

  /** The first column of the first row (a COUNT, say). */
  value(sql: string, parameters: unknown[]): unknown {
    return this.statement("", sql).statement.get(...parameters)?.[0];
  }
}

function toRow<T>({ names, converts }: TReadStatement, values: unknown[]): T {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < names.length; index++) {
    const convert = converts[index];
    const value = values[index] ?? null;
    row[names[index]!] = convert ? convert(value) : value;
  }
  return row as T;
}

const globalForRows = globalThis as unknown as { arenaSqliteReaders?: WeakMap<Db, Promise<SqliteReader | null>> };
const readers = (globalForRows.arenaSqliteReaders ??= new WeakMap());

/** The reader of `db`'s SQLite file; null on PostgreSQL or an in-memory database (read with Prisma then). */
export function sqliteReaderFor(db: Db): Promise<SqliteReader | null> {
  let reader = readers.get(db);
  if (!reader) {
    reader = sqliteDatabaseFile(db).then(async (file) => {
      if (!file) return null;
      const dataModel = (db as unknown as { _runtimeDataModel?: TRuntimeDataModel })._runtimeDataModel;
      if (!dataModel?.models) throw new Error("The Prisma client has no runtime data model to read rows with");
      return new SqliteReader(await writableSqlite(file), dataModel);
    });
    readers.set(db, reader);
    reader.catch(() => readers.delete(db));
  }
  return reader;
}
