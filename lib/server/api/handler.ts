import "server-only";
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError, type AnyTRPCProcedure, type TRPCProcedureType } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext, type TRequestHeaders } from "@/lib/server/api/context";
import type { TrpcContext } from "@/lib/server/api/trpc";

/** One tRPC HTTP request, as both ways in (the fast lane and the Next route) have it in hand. */
export interface TTrpcRequest {
  method: string;
  /** The request's path, `/api/trpc/` then the procedure path (several, comma-separated, in a batch), still %-encoded. */
  pathname: string;
  searchParams: URLSearchParams;
  headers: TRequestHeaders;
  /** A POST's body, already read within MAX_JSON_BODY_BYTES (tRPC sets no limit of its own); null for GET. */
  body: Uint8Array | null;
}

/** The answer: a JSON body (or none, for HEAD) with its status and headers. */
export interface TTrpcAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

type TResponseItem = { result: { data: unknown } } | { error: ReturnType<typeof getErrorShape> };

const config = appRouter._def._config;
/** The router's procedures by their dotted path (tRPC keeps them flat here; none of ours is lazy). */
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure | undefined>;
const ACCEPTED_METHOD: Record<TRPCProcedureType, string> = { query: "GET", mutation: "POST", subscription: "GET" };
const utf8 = new TextDecoder();
/** Where tRPC is served (app/api/trpc/[trpc]/route.ts; the fast lane takes the same paths). */
const TRPC_ENDPOINT = "/api/trpc/";

/** A request error no call got to see (a refused batch, a wrong content type): tRPC's status, body and text/plain type. */
function refusal(error: TRPCError, ctx: TrpcContext | undefined, type: TRPCProcedureType | "unknown"): TTrpcAnswer {
  const item = { error: getErrorShape({ config, error, type, path: undefined, input: undefined, ctx }) };
  return {
    status: getHTTPStatusCode(item),
    headers: { vary: "trpc-accept, accept", "content-type": "text/plain;charset=UTF-8" },
    body: JSON.stringify(transformTRPCResponse(config, item)),
  };
}

function mediaTypeOf(contentType: string | null): string | undefined {
  return contentType?.toLowerCase().split(";", 1)[0]?.trim();
}

/**
 * The calls' raw inputs by batch index, parsed on the first call's first read (a body or query that
 * does not parse fails each call that reads it with a 400); `result` holds them once read.
 */
function inputReader(request: TTrpcRequest, isBatch: boolean, count: number) {
  let inputs: Record<number, unknown> | undefined;
  let failure: TRPCError | undefined;
  const parse = (): Record<number, unknown> => {
    // A GET may leave its input out; a POST's body is always JSON (an empty one fails, as in tRPC's adapter).
    const query = request.method === "GET" ? request.searchParams.get("input") : null;
    const raw: unknown = request.method !== "GET" ? JSON.parse(utf8.decode(request.body ?? new Uint8Array())) : query ? JSON.parse(query) : undefined;
    const read: Record<number, unknown> = {};
    if (raw === undefined) return read;
    if (!isBatch) {
      read[0] = config.transformer.input.deserialize(raw);
      return read;
    }
    if (Object.prototype.toString.call(raw) !== "[object Object]") throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
    for (let index = 0; index < count; index++) {
      const input = (raw as Record<number, unknown>)[index];
      if (input !== undefined) read[index] = config.transformer.input.deserialize(input);
    }
    return read;
  };
  return {
    read(index: number): unknown {
      if (failure) throw failure;
      try {
        inputs ??= parse();
      } catch (cause) {
        failure = cause instanceof TRPCError ? cause : new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
        throw failure;
      }
      return inputs[index];
    },
    result: (index: number): unknown => inputs?.[index],
  };
}

/**
 * Answers one tRPC HTTP request with tRPC's public server API (the procedures through
 * callTRPCProcedure, errors through getErrorShape and the router's one error formatter in
 * lib/server/api/trpc.ts, bodies through transformTRPCResponse, statuses through getHTTPStatusCode),
 * with the wire format of tRPC's fetch adapter for JSON requests, batched (`?batch=1`, as the app's
 * httpBatchLink sends every call) or not. It builds no Web Request or Response: the fast lane
 * (lib/server/http/fast-lane.ts) answers from Node's request, app/api/trpc/[trpc]/route.ts from
 * Next's. Not served, since no procedure and no client of ours uses them: subscriptions, the
 * streaming `application/jsonl` answer (httpBatchStreamLink gets plain JSON), form-data and
 * octet-stream inputs (415), `connectionParams`.
 */
export async function answerTrpc(request: TTrpcRequest): Promise<TTrpcAnswer> {
  if (request.method === "HEAD") return { status: 204, headers: {}, body: null };
  const isBatch = request.searchParams.get("batch") === "1";
  const path = request.pathname.slice(TRPC_ENDPOINT.length);
  let paths: string[];
  try {
    paths = isBatch ? decodeURIComponent(path).split(",") : [decodeURIComponent(path)];
  } catch (cause) {
    return refusal(new TRPCError({ code: "BAD_REQUEST", message: `Invalid URL-encoding in path "${path}"`, cause }), undefined, "unknown");
  }
  const contentType = request.headers.get("content-type");
  if (request.method !== "GET" && mediaTypeOf(contentType) !== "application/json") {
    const message = contentType === null ? "Missing content-type header" : `Unsupported content-type "${contentType}`;
    return refusal(new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message }), undefined, "unknown");
  }
  // More calls than this in one batch get a 400 before any runs (the browser client sends at most 10).
  if (isBatch && paths.length > env.TRPC_MAX_BATCH) return refusal(new TRPCError({ code: "BAD_REQUEST", message: "Batch call exceeds maximum size" }), undefined, "unknown");
  const found = paths.map((path) => (Object.hasOwn(procedures, path) ? procedures[path] : undefined));
  const types = new Set(found.flatMap((procedure) => (procedure ? [procedure._def.type] : [])));
  if (types.size > 1) return refusal(new TRPCError({ code: "BAD_REQUEST", message: `Cannot mix procedure types in call: ${[...types].join(", ")}` }), undefined, "unknown");

  let ctx: TrpcContext | undefined;
  let ctxError: TRPCError | undefined;
  try {
    ctx = await createRequestContext(request.headers);
  } catch (cause) {
    ctxError = getTRPCErrorFromUnknown(cause);
  }
  const inputs = inputReader(request, isBatch, paths.length);

  const items = await Promise.all(
    paths.map(async (path, index): Promise<TResponseItem> => {
      const procedure = found[index];
      try {
        if (!procedure) throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${path}"` });
        const procedureType = procedure._def.type;
        if (ACCEPTED_METHOD[procedureType] !== request.method) {
          throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `Unsupported ${request.method}-request to ${procedureType} procedure at path "${path}"` });
        }
        if (procedureType === "subscription") throw new TRPCError({ code: "BAD_REQUEST", message: "Subscriptions are not served over HTTP here." });
        if (ctxError) throw ctxError;
        const data: unknown = await callTRPCProcedure({ router: appRouter, path, type: procedureType, ctx, getRawInput: async () => inputs.read(index), signal: undefined, batchIndex: index });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        return { error: getErrorShape({ config, error, type: procedure?._def.type ?? "unknown", path, input: inputs.result(index), ctx }) };
      }
    }),
  );
  const answer = isBatch ? items : items[0]!;
  return {
    status: getHTTPStatusCode(answer as Parameters<typeof getHTTPStatusCode>[0]),
    headers: { vary: "trpc-accept, accept", "content-type": "application/json" },
    body: JSON.stringify(transformTRPCResponse(config, answer as Parameters<typeof transformTRPCResponse>[1])),
  };
}
