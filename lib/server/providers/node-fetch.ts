import "server-only";

import http from "node:http";
import https from "node:https";

/** Idle kept-alive sockets are dropped after 4 s, before servers with the common 5 s keep-alive timeout close them. */
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000 };
const agents = { "http:": new http.Agent(AGENT_OPTIONS), "https:": new https.Agent(AGENT_OPTIONS) };

function requestHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => (flat[name] = value));
  return flat;
}

function responseHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

const abortError = (signal: AbortSignal) => (signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError"));

/** Errors of a kept-alive socket that the server closed just as we reused it; the request never reached it. */
const STALE_SOCKET_ERRORS = new Set(["ECONNRESET", "EPIPE"]);

/**
 * `fetch` for the AI SDK's provider calls on node:http with a keep-alive agent: the same
 * request and response as the global fetch for what the SDK uses (method, headers, a string body;
 * status, headers, a streamed body), with a fraction of the CPU per streamed chunk (undici's fetch
 * runs each chunk through its own web streams before the SDK's). A connection that closes before the
 * body is complete errors the body stream, as fetch does ("terminated"). A request that fails on a
 * reused socket before any response (the server closed the idle connection as we sent) is sent once
 * more on a new connection, as undici does.
 */
export const nodeFetch: typeof fetch = (input, init = {}) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const signal = init.signal ?? undefined;
  const transport = url.protocol === "https:" ? https : http;
  const headers = requestHeaders(init.headers);
  const body = typeof init.body === "string" ? init.body : undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    let request: http.ClientRequest;
    const onAbort = () => request.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => signal?.removeEventListener("abort", onAbort);
    const send = (retried: boolean) => {
      request = transport.request(url, { method: init.method ?? "GET", headers, agent: agents[url.protocol as "http:" | "https:"] });
      request.on("error", (error: NodeJS.ErrnoException) => {
        if (!retried && request.reusedSocket && !signal?.aborted && STALE_SOCKET_ERRORS.has(error.code ?? "")) return send(true);
        settle();
        reject(error);
      });
      request.on("response", (response) => {
        let complete = false;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            response.on("data", (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
            response.on("end", () => {
              complete = true;
              settle();
              controller.close();
            });
            response.on("close", () => {
              settle();
              if (!complete) controller.error(signal?.aborted ? abortError(signal) : new TypeError("terminated"));
            });
          },
          cancel() {
            settle();
            response.destroy();
          },
        });
        const status = response.statusCode ?? 502;
        resolve(new Response(status === 204 || status === 304 ? null : stream, { status, statusText: response.statusMessage, headers: responseHeaders(response.headers) }));
      });
      request.end(body);
    };
    send(false);
  });
};
