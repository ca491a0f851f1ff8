/**
 * An HTTP client of the arena that sends what the app's browser client sends: next-auth's guest
 * sign-in as `signIn("guest", { redirect: false })` makes it (providers, CSRF token, callback, session),
 * tRPC through the browser's own link (lib/trpc/batch-link.ts: `httpBatchLink`, `?batch=1`, superjson,
 * the same headers) and the battle's Server-Sent Events read the way components/arena/use-battle-stream.ts
 * reads them (until `end`). Used by the load benchmark and the HTTP tests; no server code is imported.
 *
 * `request` is fetch (any method, body or header a test needs). The arena calls themselves (tRPC and the
 * battle stream) go over node:http with a keep-alive connection pool of the client's own, like a
 * browser's: the load generator shares the machine's two cores with the app, and undici's fetch cost it
 * about twice the CPU per cycle (Web Request/Response/Headers objects and streams for every call).
 */
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { createTRPCUntypedClient, TRPCClientError, type TRPCUntypedClient } from "@trpc/client";
import type { TBattleStreamEvent } from "@/lib/domain/battle/stream-events";
import type { AppRouter } from "@/lib/server/api/root";
import { arenaBatchLink, TRPC_ENDPOINT, type TLinkFetch } from "@/lib/trpc/batch-link";
import { deserialize } from "@/lib/trpc/transformer";

/** A browser's connection pool: keep-alive, at most six connections per host. */
const newBrowserAgent = () => new http.Agent({ keepAlive: true, maxSockets: 6, scheduling: "lifo" });

interface TPlainResponse {
  status: number;
  text: string;
}

export type TTrpcResult<T = unknown> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string; raw: string };

export interface TBattleAnswers {
  /** "ready" when both answers settled before the stream ended, "end" or "closed" when it ended without `ready`. */
  outcome: "ready" | "end" | "closed";
  events: number;
  /** The battle the `end` event carries (what the page shows after the round), decoded as the page decodes it; null without one. */
  battle: unknown;
}

/** An answer to a tRPC request that is not JSON (an HTML error page): tRPC's client wraps it as the cause. */
class NotJsonAnswer extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(`HTTP ${status}: ${text.slice(0, 200)}`);
  }
}

export class ArenaClient {
  /** tRPC through the browser's link; `query` and `mutation` below are the typed-result view of it. */
  readonly trpc: TRPCUntypedClient<AppRouter>;

  constructor(
    readonly baseUrl: string,
    private readonly extraHeaders: Record<string, string> = {},
    private readonly cookies = new Map<string, string>(),
    private readonly agent: http.Agent = newBrowserAgent(),
  ) {
    this.trpc = createTRPCUntypedClient<AppRouter>({ links: [arenaBatchLink({ url: `${baseUrl}${TRPC_ENDPOINT}`, fetch: this.browserFetch })] });
  }

  /** The same browser session talking to another instance of the app (behind a load balancer). */
  onInstance(baseUrl: string): ArenaClient {
    return new ArenaClient(baseUrl, this.extraHeaders, this.cookies, this.agent);
  }

  /** Closes the client's idle connections (a browser tab closed). */
  close(): void {
    this.agent.destroy();
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(response: Response): void {
    this.rememberCookies(response.headers.getSetCookie());
  }

  private rememberCookies(lines: readonly string[]): void {
    for (const line of lines) {
      const [pair] = line.split(";");
      const separator = pair!.indexOf("=");
      if (separator > 0) this.cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
  }

  /** What every call sends unless the call sets it itself: the cookies, a same-origin Origin, the client's extra headers. */
  private defaultHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.extraHeaders, origin: this.baseUrl };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    return headers;
  }

  /**
   * What a browser adds to a same-origin fetch or EventSource request of the page: the cookies, the
   * Fetch Metadata headers, and Origin on anything but GET and HEAD.
   */
  private browserHeaders(method: string, destination: "fetch" | "event-stream"): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      accept: destination === "fetch" ? "*/*" : "text/event-stream",
      "accept-encoding": "gzip",
      "sec-fetch-site": "same-origin",
      "sec-fetch-mode": "cors",
      "sec-fetch-dest": "empty",
    };
    if (destination === "event-stream") headers["cache-control"] = "no-cache";
    if (method !== "GET" && method !== "HEAD") headers.origin = this.baseUrl;
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    return headers;
  }

  /** fetch with this client's cookies and same-origin headers, like the app's own pages. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.defaultHeaders())) if (!headers.has(name)) headers.set(name, value);
    const response = await fetch(`${this.baseUrl}${pathname}`, { redirect: "manual", ...init, headers });
    this.remember(response);
    return response;
  }

  /** next-auth's guest provider: the requests the "Continue as guest" button makes. */
  signInAsGuest(): Promise<void> {
    return this.signIn("guest", {});
  }

  /** next-auth's credentials provider: the sign-in form's requests. */
  signInWithPassword(email: string, password: string): Promise<void> {
    return this.signIn("credentials", { email, password });
  }

  /**
   * `signIn(provider, { redirect: false })` of next-auth/react: the providers list, a CSRF token, the
   * callback with the form, then the session it reloads (its "storage" event). Its JSON GETs carry
   * `Content-Type: application/json`, as next-auth's client sends them.
   */
  private async signIn(provider: string, fields: Record<string, string>): Promise<void> {
    const json = { "content-type": "application/json" };
    await (await this.request("/api/auth/providers", { headers: json })).json();
    const csrfResponse = await this.request("/api/auth/csrf", { headers: json });
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const response = await this.request(`/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: this.baseUrl, json: "true" }).toString(),
    });
    // Read like next-auth's client reads it (a body left unread costs the pooled connection).
    await response.text();
    if (![...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
      throw new Error(`${provider} sign-in failed: HTTP ${response.status}, no session cookie`);
    }
    await this.readSession();
  }

  /** GET /api/auth/session as next-auth's SessionProvider reads it (on a page load and after signing in). */
  async readSession(): Promise<void> {
    await (await this.request("/api/auth/session", { headers: { "content-type": "application/json" } })).json();
  }

  /**
   * One request over node:http. Without `onData` the whole body is read (gunzipped when the server
   * compressed it); with it, every chunk is handed over as it arrives until `onData` returns true, and
   * the rest is drained in the background so the connection goes back to the pool.
   */
  private send(
    method: string,
    url: URL,
    options: { body?: string; headers: Record<string, string>; timeoutMs?: number; signal?: AbortSignal | null; onData?: (chunk: string) => boolean },
  ): Promise<TPlainResponse> {
    if (url.protocol !== "http:") return Promise.reject(new Error(`ArenaClient speaks plain HTTP only, not ${url.protocol}`));
    const headers = { ...options.headers };
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    return new Promise<TPlainResponse>((resolve, reject) => {
      const request = http.request(
        { agent: this.agent, method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers, timeout: options.timeoutMs, signal: options.signal ?? undefined },
        (response) => {
          const setCookie = response.headers["set-cookie"];
          if (setCookie) this.rememberCookies(setCookie);
          const status = response.statusCode ?? 0;
          const onData = options.onData;
          if (onData && status === 200) {
            response.setEncoding("utf8");
            let finished = false;
            response.on("data", (chunk: string) => {
              if (finished || !onData(chunk)) return;
              finished = true;
              resolve({ status, text: "" });
            });
            response.on("end", () => finished || ((finished = true), resolve({ status, text: "" })));
            response.on("error", reject);
            return;
          }
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const body = Buffer.concat(chunks);
            try {
              resolve({ status, text: (response.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body).toString("utf8") });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`${method} ${url.pathname}: no answer within ${options.timeoutMs} ms`)));
      request.on("error", reject);
      request.end(options.body);
    });
  }

  /**
   * The fetch the tRPC link calls: a same-origin browser fetch over this client's connection pool. It
   * answers with the little of a Response the link reads (`ok`, `status`, `json()`).
   */
  private readonly browserFetch: TLinkFetch = async (input, init = {}) => {
    const method = init.method ?? "GET";
    const linkHeaders = init.headers instanceof Headers || Array.isArray(init.headers) ? Object.fromEntries(init.headers) : (init.headers as Record<string, string> | undefined) ?? {};
    const { status, text } = await this.send(method, new URL(input instanceof Request ? input.url : String(input)), {
      headers: { ...this.browserHeaders(method, "fetch"), ...linkHeaders },
      body: typeof init.body === "string" ? init.body : undefined,
      signal: init.signal,
    });
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async (): Promise<unknown> => {
        try {
          return JSON.parse(text);
        } catch {
          throw new NotJsonAnswer(status, text);
        }
      },
    };
  };

  private async call<T>(type: "query" | "mutation", procedure: string, input: unknown): Promise<TTrpcResult<T>> {
    try {
      const data = (await (type === "query" ? this.trpc.query(procedure, input) : this.trpc.mutation(procedure, input))) as T;
      return { ok: true, status: 200, data };
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error;
      const notJson = error.cause instanceof NotJsonAnswer ? error.cause : null;
      const meta = error.meta as { response?: { status?: number }; responseJSON?: unknown } | undefined;
      const data = error.data as { code?: string; httpStatus?: number } | undefined;
      const status = notJson?.status ?? meta?.response?.status ?? data?.httpStatus ?? 0;
      const raw = notJson?.text ?? (meta?.responseJSON === undefined ? "" : JSON.stringify(meta.responseJSON));
      return { ok: false, status, code: data?.code ?? `HTTP_${status}`, message: error.message, raw };
    }
  }

  /** A tRPC mutation as the browser sends it (a POST of a batch of one). */
  mutation<T = unknown>(procedure: string, input?: unknown): Promise<TTrpcResult<T>> {
    return this.call<T>("mutation", procedure, input);
  }

  /** A tRPC query as the browser sends it (a GET of a batch of one). */
  query<T = unknown>(procedure: string, input?: unknown): Promise<TTrpcResult<T>> {
    return this.call<T>("query", procedure, input);
  }

  /**
   * Reads the battle's SSE stream as the arena page's EventSource does: until `end` (or until the
   * server closes it). `outcome` says whether `ready` (both answers settled) came first; `battle` is
   * what the page shows after it (the end's battle, which spares it a battle.get).
   */
  async waitForAnswers(battleId: string, timeoutMs = 30_000): Promise<TBattleAnswers> {
    let buffer = "";
    let events = 0;
    let ready = false;
    let ended = false;
    let battle: unknown = null;
    const response = await this.send("GET", new URL(`/api/battles/${encodeURIComponent(battleId)}/stream`, this.baseUrl), {
      headers: this.browserHeaders("GET", "event-stream"),
      timeoutMs,
      onData: (chunk) => {
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) !== -1) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (!frame.startsWith("data: ")) continue;
          events += 1;
          const event = JSON.parse(frame.slice(6)) as TBattleStreamEvent;
          if (event.type === "ready") ready = true;
          if (event.type === "end") {
            ended = true;
            battle = event.battle ? deserialize(event.battle) : null;
            return true;
          }
        }
        return false;
      },
    });
    if (response.status !== 200) throw new Error(`stream of ${battleId}: HTTP ${response.status} ${response.text}`);
    return { outcome: ready ? "ready" : ended ? "end" : "closed", events, battle };
  }
}
