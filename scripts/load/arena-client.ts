/**
 * A minimal HTTP client of the arena as a browser would talk to it: next-auth's guest sign-in (CSRF
 * token + credentials callback), tRPC over HTTP (superjson envelope, no batching) and the battle's
 * Server-Sent Events. Used by the load benchmark and the HTTP tests; no Next or app code is imported.
 *
 * `request` is fetch (any method, body or header a test needs). The arena calls themselves (tRPC
 * queries and mutations, the battle stream) go over node:http with a keep-alive connection pool of the
 * client's own, like a browser's: the load generator shares the machine's two cores with the app, and
 * undici's fetch cost it about twice the CPU per cycle (Web Request/Response/Headers objects and
 * streams for every call).
 */
import http from "node:http";
import { gunzipSync } from "node:zlib";

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
  /** "ready" when both answers settled, "end" or "closed" when the stream ended without `ready`. */
  outcome: "ready" | "end" | "closed";
  events: number;
}

export class ArenaClient {
  constructor(
    readonly baseUrl: string,
    private readonly extraHeaders: Record<string, string> = {},
    private readonly cookies = new Map<string, string>(),
    private readonly agent: http.Agent = newBrowserAgent(),
  ) {}

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

  /** fetch with this client's cookies and same-origin headers, like the app's own pages. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.defaultHeaders())) if (!headers.has(name)) headers.set(name, value);
    const response = await fetch(`${this.baseUrl}${pathname}`, { redirect: "manual", ...init, headers });
    this.remember(response);
    return response;
  }

  /** next-auth's guest provider: the same two requests the "Continue as guest" button makes. */
  signInAsGuest(): Promise<void> {
    return this.signIn("guest", {});
  }

  /** next-auth's credentials provider: the sign-in form's two requests. */
  signInWithPassword(email: string, password: string): Promise<void> {
    return this.signIn("credentials", { email, password });
  }

  private async signIn(provider: string, fields: Record<string, string>): Promise<void> {
    const csrfResponse = await this.request("/api/auth/csrf");
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const response = await this.request(`/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, csrfToken, json: "true", callbackUrl: this.baseUrl }).toString(),
    });
    await response.body?.cancel();
    if (![...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
      throw new Error(`${provider} sign-in failed: HTTP ${response.status}, no session cookie`);
    }
  }

  /**
   * One request over node:http. Without `onData` the whole body is read (gunzipped when the server
   * compressed it); with it, every chunk is handed over as it arrives until `onData` returns true, and
   * the rest is drained in the background so the connection goes back to the pool.
   */
  private send(
    method: string,
    pathname: string,
    options: { body?: string; headers?: Record<string, string>; timeoutMs?: number; onData?: (chunk: string) => boolean } = {},
  ): Promise<TPlainResponse> {
    const url = new URL(pathname, this.baseUrl);
    if (url.protocol !== "http:") return Promise.reject(new Error(`ArenaClient speaks plain HTTP only, not ${url.protocol}`));
    const headers: Record<string, string> = { ...this.defaultHeaders(), "accept-encoding": "gzip", ...options.headers };
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    return new Promise<TPlainResponse>((resolve, reject) => {
      const request = http.request(
        { agent: this.agent, method, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers, timeout: options.timeoutMs },
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
      request.on("timeout", () => request.destroy(new Error(`${method} ${pathname}: no answer within ${options.timeoutMs} ms`)));
      request.on("error", reject);
      request.end(options.body);
    });
  }

  private parse<T>({ status, text: raw }: TPlainResponse): TTrpcResult<T> {
    const ok = status >= 200 && status < 300;
    let body: { result?: { data?: { json?: T } }; error?: { json?: { message?: string; data?: { code?: string } } } } | null = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    if (ok && body?.result) return { ok: true, status, data: body.result.data?.json as T };
    const error = body?.error?.json;
    return { ok: false, status, code: error?.data?.code ?? `HTTP_${status}`, message: error?.message ?? raw.slice(0, 500), raw };
  }

  async mutation<T = unknown>(procedure: string, input: unknown): Promise<TTrpcResult<T>> {
    return this.parse<T>(await this.send("POST", `/api/trpc/${procedure}`, { headers: { "content-type": "application/json" }, body: JSON.stringify({ json: input }) }));
  }

  async query<T = unknown>(procedure: string, input?: unknown): Promise<TTrpcResult<T>> {
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.parse<T>(await this.send("GET", `/api/trpc/${procedure}${search}`));
  }

  /** Reads the battle's SSE stream until `ready` (both answers settled) or the stream ends. */
  async waitForAnswers(battleId: string, timeoutMs = 30_000): Promise<TBattleAnswers> {
    let buffer = "";
    let events = 0;
    let outcome: TBattleAnswers["outcome"] = "closed";
    const response = await this.send("GET", `/api/battles/${battleId}/stream`, {
      headers: { accept: "text/event-stream" },
      timeoutMs,
      onData: (chunk) => {
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) !== -1) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (!frame.startsWith("data: ")) continue;
          events += 1;
          const type = (JSON.parse(frame.slice(6)) as { type: string }).type;
          if (type === "ready" || type === "end") {
            outcome = type;
            return true;
          }
        }
        return false;
      },
    });
    if (response.status !== 200) throw new Error(`stream of ${battleId}: HTTP ${response.status} ${response.text}`);
    return { outcome, events };
  }
}
