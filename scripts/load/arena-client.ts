/**
 * A minimal HTTP client of the arena as a browser would talk to it: next-auth's guest sign-in (CSRF
 * token + credentials callback), tRPC over HTTP (superjson envelope, no batching) and the battle's
 * Server-Sent Events. Used by the load benchmark and the HTTP tests; no Next or app code is imported.
 */

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
  ) {}

  /** The same browser session talking to another instance of the app (behind a load balancer). */
  onInstance(baseUrl: string): ArenaClient {
    return new ArenaClient(baseUrl, this.extraHeaders, this.cookies);
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const separator = pair!.indexOf("=");
      if (separator > 0) this.cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
  }

  /** fetch with this client's cookies and same-origin headers, like the app's own pages. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader);
    if (!headers.has("origin")) headers.set("origin", this.baseUrl);
    for (const [name, value] of Object.entries(this.extraHeaders)) if (!headers.has(name)) headers.set(name, value);
    const response = await fetch(`${this.baseUrl}${pathname}`, { redirect: "manual", ...init, headers });
    this.remember(response);
    return response;
  }

  /** next-auth's guest provider: the same two requests the "Continue as guest" button makes. */
  async signInAsGuest(): Promise<void> {
    const csrfResponse = await this.request("/api/auth/csrf");
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    const response = await this.request("/api/auth/callback/guest", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true", callbackUrl: this.baseUrl }).toString(),
    });
    await response.body?.cancel();
    if (![...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
      throw new Error(`guest sign-in failed: HTTP ${response.status}, no session cookie`);
    }
  }

  private async parse<T>(response: Response): Promise<TTrpcResult<T>> {
    const raw = await response.text();
    let body: { result?: { data?: { json?: T } }; error?: { json?: { message?: string; data?: { code?: string } } } } | null = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    if (response.ok && body?.result) return { ok: true, status: response.status, data: body.result.data?.json as T };
    const error = body?.error?.json;
    return { ok: false, status: response.status, code: error?.data?.code ?? `HTTP_${response.status}`, message: error?.message ?? raw.slice(0, 500), raw };
  }

  async mutation<T = unknown>(procedure: string, input: unknown): Promise<TTrpcResult<T>> {
    const response = await this.request(`/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
    return this.parse<T>(response);
  }

  async query<T = unknown>(procedure: string, input?: unknown): Promise<TTrpcResult<T>> {
    const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.parse<T>(await this.request(`/api/trpc/${procedure}${search}`));
  }

  /** Reads the battle's SSE stream until `ready` (both answers settled) or the stream ends. */
  async waitForAnswers(battleId: string, timeoutMs = 30_000): Promise<TBattleAnswers> {
    const response = await this.request(`/api/battles/${battleId}/stream`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200 || !response.body) throw new Error(`stream of ${battleId}: HTTP ${response.status} ${await response.text()}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let events = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { outcome: "closed", events };
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) !== -1) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (!frame.startsWith("data: ")) continue;
          events += 1;
          const type = (JSON.parse(frame.slice(6)) as { type: string }).type;
          if (type === "ready" || type === "end") return { outcome: type, events };
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
}
