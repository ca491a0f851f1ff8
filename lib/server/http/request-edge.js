// @ts-check
/**
 * What scripts/serve.js does to every request before the fast lane or Next sees it, so both read one
 * answer (plain JavaScript: the serving process runs it without a TypeScript loader).
 *
 * 1. The client's address and protocol. X-Forwarded-For / X-Forwarded-Proto (and -Host, -Port, X-Real-IP,
 *    Forwarded) are believed only when the connection comes from an address in TRUSTED_PROXIES;
 *    otherwise they are dropped and the socket's own address and protocol count. The result is written
 *    back as a single `x-forwarded-for` and `x-forwarded-proto`, which is all the app reads (clientIp in
 *    lib/server/api/context.ts, the Secure cookie decision in authOptionsFor, lib/server/auth/options.ts).
 * 2. Methods: anything but GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS gets 405 on every path.
 * 3. Bodies: a request body must declare its length (411 otherwise), at most MAX_UPLOAD_BODY_BYTES
 *    (413), so Next never buffers an unbounded chunked upload (proxy.ts then applies the tighter JSON
 *    limit by the declared length; the routes and the fast lane count the bytes as they arrive).
 */
import { BlockList, isIP } from "node:net";

const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded"];

/** "::ffff:203.0.113.9" → "203.0.113.9"; "[::1]" → "::1"; anything else trimmed. */
export function normalizeAddress(/** @type {string} */ address) {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
}

/** Addresses a matcher remembers its answer for (peers and X-Forwarded-For hops); past that it starts over. */
const MATCHER_MEMO_ENTRIES = 4096;

/**
 * The trusted proxies as a matcher. `cidrs` is TRUSTED_PROXIES split on commas: CIDRs ("10.0.0.0/8",
 * "fd00::/8") or single addresses; lib/env.js has already validated them.
 * @param {readonly string[]} cidrs
 * @returns {(address: string) => boolean}
 */
export function trustedProxyMatcher(cidrs) {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    list.addSubnet(address, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), type);
  }
  if (list.rules.length === 0) return () => false;
  /** @type {Map<string, boolean>} */
  const answers = new Map();
  return (address) => {
    // Every request asks about its connection's peer, and a keep-alive connection asks again and again:
    // BlockList.check builds a SocketAddress per call, so each address is checked once (bounded).
    let answer = answers.get(address);
    if (answer === undefined) {
      const normalized = normalizeAddress(address);
      const family = isIP(normalized);
      answer = family !== 0 && list.check(normalized, family === 4 ? "ipv4" : "ipv6");
      if (answers.size >= MATCHER_MEMO_ENTRIES) answers.clear();
      answers.set(address, answer);
    }
    return answer;
  };
}

/** @param {string | string[] | undefined} value */
function listOf(value) {
  return (Array.isArray(value) ? value.join(",") : value ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

/**
 * The client as this server should believe it. Through trusted proxies, X-Forwarded-For is read from
 * the right (each proxy appends the address it saw) past every trusted hop; the first untrusted one is
 * the client. X-Forwarded-Proto is taken from the nearest proxy (its last value).
 * @param {{ remoteAddress: string | undefined; encrypted: boolean; headers: import("node:http").IncomingHttpHeaders }} request
 * @param {(address: string) => boolean} isTrusted
 * @returns {{ ip: string | null; protocol: "http" | "https"; viaTrustedProxy: boolean }}
 */
export function resolveClient({ remoteAddress, encrypted, headers }, isTrusted) {
  const peer = remoteAddress ? normalizeAddress(remoteAddress) : null;
  const direct = { ip: peer, protocol: /** @type {"http" | "https"} */ (encrypted ? "https" : "http"), viaTrustedProxy: false };
  if (!peer || !isTrusted(peer)) return direct;
  let ip = peer;
  const hops = listOf(headers["x-forwarded-for"]);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = normalizeAddress(/** @type {string} */ (hops[index]));
    if (isIP(hop) === 0) break;
    ip = hop;
    if (!isTrusted(hop)) break;
  }
  const proto = listOf(headers["x-forwarded-proto"]).at(-1)?.toLowerCase();
  return { ip, protocol: proto === "https" || proto === "http" ? proto : direct.protocol, viaTrustedProxy: true };
}

/**
 * Rewrites `req.headers` in place: the forwarded headers become exactly what `resolveClient` believed
 * (an untrusted client's X-Forwarded-Host and the like are dropped).
 * @param {import("node:http").IncomingMessage} req
 * @param {(address: string) => boolean} isTrusted
 */
export function applyClientHeaders(req, isTrusted) {
  const encrypted = "encrypted" in req.socket && req.socket.encrypted === true;
  const client = resolveClient({ remoteAddress: req.socket.remoteAddress, encrypted, headers: req.headers }, isTrusted);
  if (!client.viaTrustedProxy) for (const name of FORWARDED_HEADERS) delete req.headers[name];
  else for (const name of ["x-real-ip", "forwarded"]) delete req.headers[name];
  if (client.ip) req.headers["x-forwarded-for"] = client.ip;
  else delete req.headers["x-forwarded-for"];
  req.headers["x-forwarded-proto"] = client.protocol;
}

/**
 * @typedef {{ status: 405 | 411 | 413; error: string; headers?: Record<string, string> }} TRefusal
 */

/**
 * 405 for a method no route of ours answers (TRACE, CONNECT, PROPFIND, …), on every path.
 * @param {import("node:http").IncomingMessage} req
 * @returns {TRefusal | null}
 */
export function refuseMethod(req) {
  const method = (req.method ?? "GET").toUpperCase();
  if (ALLOWED_METHODS.includes(method)) return null;
  return { status: 405, error: `The method ${method.slice(0, 20)} is not allowed.`, headers: { allow: ALLOWED_METHODS.join(", ") } };
}

/**
 * A body must declare its length (411), at most `maxBodyBytes` (413).
 * Node's parser then stops reading at that length, so nothing larger is ever buffered.
 * @param {import("node:http").IncomingMessage} req
 * @param {{ maxBodyBytes: number }} limits
 * @returns {TRefusal | null}
 */
export function refuseUnboundedBody(req, { maxBodyBytes }) {
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    return req.headers["transfer-encoding"] !== undefined ? { status: 411, error: "Send the request body with a Content-Length." } : null;
  }
  const length = Number(declared);
  if (Number.isFinite(length) && length > maxBodyBytes) {
    const megabytes = Math.round((maxBodyBytes / (1024 * 1024)) * 10) / 10;
    return { status: 413, error: `This request is too large: the limit is ${megabytes} MB.` };
  }
  return null;
}

/**
 * Sends a refusal as JSON with the security headers (the request body, if any, is discarded by Node).
 * @param {import("node:http").ServerResponse} res
 * @param {TRefusal} refusal
 * @param {Record<string, string>} securityHeaders
 */
export function sendRefusal(res, refusal, securityHeaders) {
  const body = Buffer.from(JSON.stringify({ error: refusal.error }));
  res.writeHead(refusal.status, { ...securityHeaders, ...refusal.headers, "content-type": "application/json", "content-length": String(body.length) });
  res.end(body);
}
