/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
 *
 * The native engine that `prisma migrate` downloads is unavailable offline; the WASM build does the same
 * work (diffs, `migrate deploy`) over any Prisma driver adapter. No "server-only" import: plain scripts
 * (migrate, new-migration) and the test global setup use this file too.
 */
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

interface SchemaEngineBindings {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (options: { datamodels: [string, string][] | undefined }, log: (line: string) => void, adapter: object) => Promise<SchemaEngine>;
  };
}

let bindingsPromise: Promise<SchemaEngineBindings> | undefined;

/**
 * Instantiates the engine once per process: the wasm-bindgen glue keeps the instance in a module variable.
 * The package's ESM entry imports the .wasm directly, which Node refuses, so the glue and the binary are
 * loaded by path (the package's `exports` field hides the .wasm file).
 */
function loadSchemaEngineBindings(): Promise<SchemaEngineBindings> {
  bindingsPromise ??= (async () => {
    // Resolved from the working directory (the repo root or below), not from this file, whose location
    // is unreliable once Next bundles it.
    const requireFromCwd = createRequire(path.join(process.cwd(), "noop.js"));
    const gluePath = requireFromCwd.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glueUrl = pathToFileURL(gluePath).href;
    const bindings = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ glueUrl)) as SchemaEngineBindings;
    const binary = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(binary, { "./schema_engine_bg.js": withUnrefTimers(bindings) });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  bindingsPromise.catch(() => {
    bindingsPromise = undefined;
  });
  return bindingsPromise;
}

/**
 * The engine arms timers for its timeouts (e.g. 10 s for the PostgreSQL advisory lock) and never clears
 * them, which would keep a finished script alive until they fire. Unref'd, they only fire while
 * something else (an open connection) keeps the process running.
 */
function withUnrefTimers(bindings: SchemaEngineBindings): WebAssembly.ModuleImports {
  const imports: WebAssembly.ModuleImports = { ...(bindings as unknown as WebAssembly.ModuleImports) };
  for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
    const setTimer = imports[name] as (callback: () => void, delay: number) => NodeJS.Timeout;
    imports[name] = (callback: () => void, delay: number) => setTimer(callback, delay).unref();
  }
  return imports;
}

/** Extra cleanup for an adapter, run after the adapter itself is disposed (e.g. dropping a shadow database). */
type AdapterCleanup = () => Promise<void>;

/** A driver adapter factory whose shadow connections may need cleanup beyond `dispose()`. */
export interface EngineAdapterFactory {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Overrides the factory's own shadow database; returns the adapter and what to do once it is disposed. */
  connectToShadowDb?: () => Promise<{ adapter: SqlDriverAdapter; cleanup?: AdapterCleanup }>;
}

/**
 * Hands every adapter the engine opens to a registry so that all are disposed when the work is done
 * (otherwise open pools keep the process alive and scratch databases linger). The engine disposes some
 * adapters itself, so each adapter's disposal (and its cleanup) runs at most once.
 */
function trackAdapters(source: EngineAdapterFactory) {
  const disposals: (() => Promise<void>)[] = [];
  function track(adapter: SqlDriverAdapter, cleanup?: AdapterCleanup): SqlDriverAdapter {
    let disposal: Promise<void> | undefined;
    const disposeOnce = () =>
      (disposal ??= (async () => {
        await adapter.dispose();
        await cleanup?.();
      })());
    disposals.push(disposeOnce);
    return new Proxy(adapter, {
      get(target, property) {
        if (property === "dispose") return disposeOnce;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: source.factory.provider,
    adapterName: source.factory.adapterName,
    connect: async () => track(await source.factory.connect()),
    async connectToShadowDb() {
      if (!source.connectToShadowDb) return track(await source.factory.connectToShadowDb());
      const shadow = await source.connectToShadowDb();
      return track(shadow.adapter, shadow.cleanup);
    },
  };
  async function disposeAll() {
    const results = await Promise.allSettled(disposals.splice(0).reverse().map((dispose) => dispose()));
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
  }
  return { factory, disposeAll };
}

/**
 * Runs `work` with a fresh engine connected through `adapterFactory`, then frees the engine and disposes
 * every connection it opened, whether `work` succeeded or not.
 */
export async function withSchemaEngine<T>(
  options: { adapterFactory: EngineAdapterFactory; schemaFiles: [string, string][] },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bindings = await loadSchemaEngineBindings();
  const tracked = trackAdapters(options.adapterFactory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await bindings.SchemaEngine.new(
      { datamodels: options.schemaFiles },
      // The engine's own log lines (JSON tracing events) add nothing to the errors it throws.
      () => {},
      bindMigrationAwareSqlAdapterFactory(tracked.factory),
    );
    return await work(engine);
  } catch (error) {
    throw normalizeEngineError(error);
  } finally {
    engine?.free();
    await tracked.disposeAll();
  }
}

/** The engine rejects with plain objects or strings in some paths; always surface an `Error` with a message. */
function normalizeEngineError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === "string") return new Error(error);
  if (error && typeof error === "object" && "message" in error && typeof error.message === "string") {
    return new Error(error.message);
  }
  return new Error(`Schema engine failed: ${JSON.stringify(error)}`);
}

/**
 * Reads a migrations folder the way the Prisma CLI does: every sub-folder (sorted by name) with its
 * `migration.sql`, plus `migration_lock.toml`. A missing folder is an empty history.
 */
export async function readMigrationsList(migrationsDirectory: string): Promise<MigrationList> {
  const lockfilePath = "migration_lock.toml";
  const lockfileContent = await readFile(path.join(migrationsDirectory, lockfilePath), "utf8").catch(() => null);
  const entries = await readdir(migrationsDirectory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    folders.map(async (folder) => {
      const content = await readFile(path.join(migrationsDirectory, folder, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (error: Error) => ({ tag: "error" as const, value: error.message }),
      );
      return { path: folder, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return {
    baseDir: migrationsDirectory,
    lockfile: { path: lockfilePath, content: lockfileContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

/**
 * Schema filter: tables created by hand-written SQL migrations rather than prisma/schema.prisma,
 * which diffs must leave alone (the SQLite vote ledger and its numbering; see
 * prisma/migrations/*_vote_ledger). Every other table and enum is Prisma's.
 */
export function schemaFilters(kind: "sqlite" | "postgresql"): { externalTables: string[]; externalEnums: string[] } {
  return { externalTables: kind === "sqlite" ? ["RatingNumber", "VoteLedger"] : [], externalEnums: [] };
}
