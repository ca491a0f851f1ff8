import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { constants as zlibConstants, gzip, gzipSync, type ZlibOptions } from "node:zlib";
import { env } from "@/lib/env";
import { securityHeaders } from "@/lib/security-headers.js";
import { answerTrpc } from "@/lib/server/api/handler";
import type { TRequestHeaders } from "@/lib/server/api/context";
import { SSE_HEADERS, streamBattleEvents, type TEventSink } from "@/lib/server/battles/event-stream";
import { fastLaneRequests } from "@/lib/server/metrics";
import { guardApiRequest, tooLargeMessage } from "@/lib/server/security/request-guard";

/**
 * The fast lane: `npm start`'s server (scripts/serve.js) hands the arena's hot API requests (tRPC and
 * the battle event stream) to this module instead of Next's request pipeline, which costs more CPU per
 * request than the procedures behind it (routing, proxy, async contexts, response wrapping). The
 * handlers are the ones the App Router routes call: every tRPC request, batched as the browser client
 * sends it or not, goes to answerTrpc (lib/server/api/handler.ts, as the route does), straight from
 * Node's request and into Node's response, with no Web Request, Response or Headers copy in between;
 * the battle's event pump writes straight to the socket (streamBattleEvents). Around them the lane applies what Next would around them: proxy.ts's cross-site and body-size checks, the
 * security headers of next.config.js, the x-forwarded-* headers Next fills in, gzip for larger bodies.
 * Any other request (pages, next-auth, uploads, everything else) goes to Next unchanged.
 *
 * It runs inside Next's server bundle (instrumentation.ts publishes it on globalThis), so it shares the
 * process's database client, live battle rounds, caches and metrics with the routes.
 */
export type TFastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

const FAST_LANE_KEY = Symbol.for("persona-arena.fast-lane");
const TRPC_PATH = /^\/api\/trpc\/[^/]+$/;
const STREAM_PATH = /^\/api\/battles\/([^/]+)\/stream$/;
/** Like Next's compression: bodies below this are sent as they are. */
const GZIP_MIN_BYTES = 1024;
/** Bodies up to this size are gzipped on the event loop; larger ones on libuv's thread pool. */
const GZIP_ON_LOOP_MAX_BYTES = 16 * 1024;
const gzipAsync = promisify(gzip);

/**
 * Gzips an answer at zlib's default level, with the window and the match table sized to the body
 * (matches cannot reach back past its start, so nothing is lost). The arena's answers (a battle.get
 * is a few KB) are compressed on the event loop: ~50 µs of CPU for 3 KB, where zlib's asynchronous
 * gzip spends ~600 µs on the hand-off to the thread pool and its stream machinery. Larger answers
 * (leaderboards, histories) go to the thread pool, so none blocks the loop for more than ~1 ms.
 */
function gzipAnswer(body: Buffer): Buffer | Promise<Buffer> {
  const windowBits = Math.min(zlibConstants.Z_MAX_WINDOWBITS, Math.max(9, Math.ceil(Math.log2(body.length))));
  const options: ZlibOptions = { windowBits, memLevel: Math.max(1, windowBits - 7) };
  return body.length <= GZIP_ON_LOOP_MAX_BYTES ? gzipSync(body, options) : gzipAsync(body, options);
}

const SECURITY_HEADERS: Record<string, string> = Object.fromEntries(
  securityHeaders(env.NODE_ENV === "development").map(({ key, value }) => [key.toLowerCase(), value]),
);

type TRoute = { kind: "trpc" } | { kind: "stream"; battleId: string };

function routeOf(method: string, pathname: string): TRoute | null {
  if ((method === "GET" || method === "POST") && TRPC_PATH.test(pathname)) return { kind: "trpc" };
  const stream = method === "GET" ? STREAM_PATH.exec(pathname) : null;
  return stream ? { kind: "stream", battleId: decodeURIComponent(stream[1]!) } : null;
}

/**
 * The request's headers as Next's routes see them, with the x-forwarded-* values Next fills in: a
 * read-only view of Node's parsed headers (repeated values joined as a Web `Headers` joins them), not a copy.
 */
function requestHeaders(req: IncomingMessage): TRequestHeaders {
  const own = req.headers;
  // Worked out only when asked for: most requests never read them (the socket's ports are syscalls).
  const forwarded = (key: string): string | undefined => {
    switch (key) {
      case "x-forwarded-host":
        return own.host;
      case "x-forwarded-proto":
        return "encrypted" in req.socket && req.socket.encrypted === true ? "https" : "http";
      case "x-forwarded-port":
        return req.socket.localPort ? String(req.socket.localPort) : undefined;
      case "x-forwarded-for":
        return req.socket.remoteAddress;
      default:
        return undefined;
    }
  };
  return {
    get(name) {
      const key = name.toLowerCase();
      const value = own[key] ?? forwarded(key);
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "application/json", "content-length": body.length });
  res.end(body);
}

/** The body, or null when it grows past `maxBytes` (a missing or false Content-Length cannot get past it). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      // The rest of a refused body keeps flowing into nothing; a client that aborts it is no fault of ours.
      req.off("error", onError).on("error", () => undefined);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function isCompressible(contentType: string | null): boolean {
  return /^(application\/(.+\+)?json|text\/(?!event-stream))/i.test(contentType ?? "");
}

/**
 * Starts an event stream on `res` and returns its writer. The headers are not sent on their own: they
 * leave with the first events (Node puts them in front of the first chunk). Events written in one
 * turn of the event loop leave in one socket write, not one write each, and the stream's end (the
 * last chunk's terminator) leaves with the last events: `res.end()` sends everything still corked.
 */
function openEventStream(res: ServerResponse, status: number, headers: Record<string, string | string[]>): TEventSink {
  res.writeHead(status, headers);
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    res.uncork();
  };
  return {
    write(chunk) {
      if (res.destroyed) throw new Error("The client closed the event stream");
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      res.write(chunk);
    },
    close() {
      // end() uncorks the socket fully, so the corked events and the terminator go out in one write.
      corked = false;
      res.end();
    },
  };
}

const EVENT_STREAM_HEADERS: Record<string, string> = { ...SECURITY_HEADERS, ...Object.fromEntries(Object.entries(SSE_HEADERS).map(([name, value]) => [name.toLowerCase(), value])) };

/** Sends a whole body with the security headers, gzipped when it is worth it and the client takes gzip. */
async function sendBody(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer): Promise<void> {
  const cacheControl = headers["cache-control"];
  const transformable = !/\bno-transform\b/i.test(typeof cacheControl === "string" ? cacheControl : "");
  const contentType = headers["content-type"];
  if (transformable && body.length >= GZIP_MIN_BYTES && isCompressible(typeof contentType === "string" ? contentType : null)) {
    // This answer depends on Accept-Encoding whether or not this client takes gzip.
    const vary = headers.vary;
    headers.vary = typeof vary === "string" && vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
    if (/\bgzip\b/i.test(req.headers["accept-encoding"] ?? "")) {
      body = await gzipAnswer(body);
      headers["content-encoding"] = "gzip";
    }
  }
  headers["content-length"] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

async function serve(req: IncomingMessage, res: ServerResponse, route: TRoute, pathname: string): Promise<void> {
  const headers = requestHeaders(req);
  const host = req.headers.host ?? "localhost";
  const origin = `${headers.get("x-forwarded-proto") === "https" ? "https" : "http"}://${host}`;
  const verdict = guardApiRequest(
    { method: req.method!, pathname, requestOrigin: origin, headers },
    { configuredUrl: env.NEXTAUTH_URL, maxJsonBytes: env.MAX_JSON_BODY_BYTES, maxUploadBytes: env.MAX_UPLOAD_BODY_BYTES },
  );
  // Refusals leave the connection open: Node discards the rest of the body, so the client, still
  // sending, gets to read the answer (closing would cut it off with a broken pipe).
  if (!verdict.ok) return sendJson(res, verdict.status, { error: verdict.error });

  if (route.kind === "stream") {
    // The stream ends when its client goes away (a finished response closes too: that is no abort).
    const gone = new AbortController();
    res.once("close", () => res.writableFinished || gone.abort());
    const refused = await streamBattleEvents(headers, route.battleId, gone.signal, () => openEventStream(res, 200, { ...EVENT_STREAM_HEADERS }));
    if (refused) sendJson(res, refused.status, { error: refused.error });
    return;
  }

  let body: Buffer | undefined;
  if (req.method === "POST") {
    const read = await readBody(req, env.MAX_JSON_BODY_BYTES);
    if (!read) return sendJson(res, 413, { error: tooLargeMessage(env.MAX_JSON_BODY_BYTES) });
    body = read;
  }
  const queryAt = req.url!.indexOf("?");
  const answer = await answerTrpc({
    method: req.method!,
    pathname,
    searchParams: new URLSearchParams(queryAt === -1 ? "" : req.url!.slice(queryAt + 1)),
    headers,
    body: body ?? null,
  });
  if (answer.body === null) {
    res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers });
    res.end();
    return;
  }
  await sendBody(req, res, answer.status, { ...SECURITY_HEADERS, ...answer.headers }, Buffer.from(answer.body));
}

const MALFORMED_PATH = "This address is not valid: it has a broken %-escape.";

function isWellFormed(pathname: string): boolean {
  if (!pathname.includes("%")) return true;
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * Serves the request when it is one of the fast lane's routes (returns true); otherwise leaves it to
 * Next. A path with a broken %-escape (`%ZZ`, a cut UTF-8 sequence) is refused here for every route
 * with a 400: Next answers those with a bare 500 where the path has a dynamic segment.
 */
export const handleFastLane: TFastLane = (req, res) => {
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!isWellFormed(pathname)) {
    fastLaneRequests.inc({ route: "malformed_path" });
    if (pathname.startsWith("/api/")) sendJson(res, 400, { error: MALFORMED_PATH });
    else {
      res.writeHead(400, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" });
      res.end(MALFORMED_PATH);
    }
    return true;
  }
  const route = routeOf(req.method ?? "GET", pathname);
  if (!route) return false;
  fastLaneRequests.inc({ route: route.kind === "trpc" ? "trpc" : "battle_stream" });
  serve(req, res, route, pathname).catch((error: unknown) => {
    console.error(`[fast-lane] ${req.method} ${pathname} failed`, error);
    if (!res.headersSent) sendJson(res, 500, { error: "Something went wrong on our side. Please try again." });
    else res.destroy();
  });
  return true;
};

/**
 * Called by instrumentation.ts: makes the lane available to scripts/serve.js, which runs outside the
 * bundle and looks it up by this symbol on each request (Next runs instrumentation with its first one).
 */
export function publishFastLane(): void {
  if (!env.FAST_LANE) return;
  (globalThis as Record<symbol, unknown>)[FAST_LANE_KEY] = handleFastLane;
}
