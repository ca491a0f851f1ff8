// @ts-check
/**
 * The production server that `npm start` (scripts/start.ts), the Docker image and the built-app tests run:
 * Next's own request handler for every request, except the hot API requests (tRPC and the battle event
 * stream) that the fast lane serves itself (lib/server/http/fast-lane.ts; FAST_LANE=false turns it off).
 * The lane lives in Next's server bundle: instrumentation.ts publishes it on globalThis when Next prepares
 * its server (`app.prepare()`, before this server listens), so it shares the app's database client, live
 * rounds and caches.
 * Plain JavaScript, run by Node itself: the serving process needs no TypeScript loader.
 *
 *   node scripts/serve.js [--port 3000] [--hostname 0.0.0.0]
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { developmentSecretRefusal, env } from "../lib/env.js";
import { securityHeaders } from "../lib/security-headers.js";
import { applyClientHeaders, refuseMethod, refuseUnboundedBody, sendRefusal, trustedProxyMatcher } from "../lib/server/http/request-edge.js";

/** @param {string} name */
function option(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const port = Number(option("--port") ?? process.env.PORT ?? 3000);
const hostname = option("--hostname");
const root = path.resolve(import.meta.dirname, "..");

const refusal = developmentSecretRefusal("serve requests");
if (refusal) {
  console.error(`[serve] ${refusal}`);
  process.exit(1);
}

const app = next({ dev: false, dir: root, port, hostname: hostname ?? "localhost" });
await app.prepare();
const handleWithNext = app.getRequestHandler();

/** @typedef {(req: http.IncomingMessage, res: http.ServerResponse) => boolean} TFastLane */
const FAST_LANE_KEY = Symbol.for("persona-arena.fast-lane");

const isTrustedProxy = trustedProxyMatcher(env.TRUSTED_PROXIES);
const SECURITY_HEADERS = Object.fromEntries(securityHeaders(env.NODE_ENV === "development").map(({ key, value }) => [key.toLowerCase(), value]));

const server = http.createServer((req, res) => {
  // One place decides who the client is and what may come in (lib/server/http/request-edge.js).
  applyClientHeaders(req, isTrustedProxy);
  const refusal = refuseMethod(req) ?? refuseUnboundedBody(req, { maxBodyBytes: env.MAX_UPLOAD_BODY_BYTES });
  if (refusal) return sendRefusal(res, refusal, SECURITY_HEADERS);
  // Published by instrumentation during Next's prepare; looked up per request (one property read).
  const fastLane = /** @type {TFastLane | undefined} */ (/** @type {any} */ (globalThis)[FAST_LANE_KEY]);
  if (fastLane?.(req, res)) return;
  handleWithNext(req, res).catch((/** @type {unknown} */ error) => {
    console.error("[serve] request failed", error);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
// Node hands CONNECT to this event, not to the request handler: it gets the same 405 as other methods.
server.on("connect", (/** @type {http.IncomingMessage} */ req, /** @type {import("node:net").Socket} */ socket) => {
  const refusal = refuseMethod(req);
  const body = JSON.stringify({ error: refusal?.error ?? "Not allowed." });
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: ${refusal?.headers?.allow ?? ""}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
});
server.listen(port, hostname, () => {
  console.log(`[serve] listening on ${hostname ?? "all interfaces"}:${port}`);
});

// Like `next start`: stop taking connections, let running requests finish (event streams are cut after
// a grace period: a client reconnects and reads the rest from the database), then exit.
let stopping = false;
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const code = signal === "SIGINT" ? 130 : 143;
    setTimeout(() => process.exit(code), 5_000).unref();
    server.close(() => void app.close().finally(() => process.exit(code)));
    server.closeIdleConnections();
  });
}
