import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import {
  getErrorShape,
  getHTTPStatusCode,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type AnyProcedure,
} from "@trpc/server/unstable-core-do-not-import";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext } from "@/lib/server/api/context";
import type { TrpcContext } from "@/lib/server/api/trpc";

/**
 * Answers one tRPC HTTP request whose body was already read within MAX_JSON_BODY_BYTES (the fetch
 * adapter has no limit of its own). Served by app/api/trpc/[trpc]/route.ts and, under `npm start`,
 * by the fast lane (lib/server/http/fast-lane.ts) for what answerTrpcCall leaves to it.
 */
export function respondToTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // More calls than this in one batch get a 400 before any runs (the browser client sends at most 10).
    maxBatchSize: env.TRPC_MAX_BATCH,
    createContext: () => createRequestContext(request.headers),
  });
}

/** The headers the fetch adapter puts on a single call's answer. */
export const TRPC_ANSWER_HEADERS = { vary: "trpc-accept, accept", "content-type": "application/json" } as const;

export interface TTrpcCall {
  method: string;
  /** The procedure's path as it appears in the URL (after /api/trpc/, still %-encoded). */
  encodedPath: string;
  searchParams: URLSearchParams;
  headers: Headers;
  body: Buffer | undefined;
}

const ACCEPTED_METHOD = { query: "GET", mutation: "POST" } as const;

function mediaType(headers: Headers): string | null {
  return headers.get("content-type")?.toLowerCase().split(";", 1)[0]?.trim() ?? null;
}

/**
 * The common tRPC call answered the way the fetch adapter answers it, without its Web Request,
 * Response, Headers and AbortSignal objects (a tenth of the server's CPU per vote cycle): one query
 * over GET or one mutation over POST with a JSON body, on a procedure that exists. The procedure runs
 * with the same context, middlewares and input parsing, and the answer is built with tRPC's own
 * pieces (getErrorShape with our error formatter, transformTRPCResponse, getHTTPStatusCode).
 *
 * Returns null, before anything ran, for every other request — batches, streaming accepts, other
 * methods or content types, input that is not JSON, unknown procedures — which respondToTrpc answers.
 */
export async function answerTrpcCall(call: TTrpcCall): Promise<{ status: number; body: string } | null> {
  if (call.searchParams.get("batch") !== null || call.headers.has("trpc-accept") || call.headers.get("accept")?.includes("application/jsonl")) return null;
  const contentType = mediaType(call.headers);
  if (call.method === "GET" ? contentType !== null && contentType !== "application/json" : contentType !== "application/json") return null;
  let path: string;
  try {
    path = decodeURIComponent(call.encodedPath);
  } catch {
    return null;
  }
  const procedure = (await getProcedureAtPath(appRouter, path)) as AnyProcedure | null;
  const type = procedure?._def.type;
  if (!procedure || (type !== "query" && type !== "mutation") || ACCEPTED_METHOD[type] !== call.method) return null;

  const config = appRouter._def._config;
  let input: unknown;
  try {
    const text = call.method === "GET" ? call.searchParams.get("input") : call.body?.toString("utf8");
    const raw = text ? JSON.parse(text) : undefined;
    input = raw === undefined ? undefined : config.transformer.input.deserialize(raw);
  } catch {
    return null;
  }

  let ctx: TrpcContext | undefined;
  let inputRead = false;
  try {
    ctx = await createRequestContext(call.headers);
    const data = await procedure({
      path,
      ctx,
      type,
      signal: undefined,
      batchIndex: 0,
      getRawInput: async () => {
        inputRead = true;
        return input;
      },
    });
    return { status: 200, body: JSON.stringify(transformTRPCResponse(config, { result: { data } })) };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getErrorShape({ config, ctx, error, input: inputRead ? input : undefined, path, type });
    return { status: getHTTPStatusCode([{ error: shape }]), body: JSON.stringify(transformTRPCResponse(config, { error: shape })) };
  }
}
