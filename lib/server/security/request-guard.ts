import "server-only";

/**
 * Checks that proxy.ts applies to every /api request before a route runs. Pure: callers pass the headers.
 *
 * Cross-site request forgery: a state-changing request (POST/PUT/PATCH/DELETE) from a browser must come
 * from our own origin. `Sec-Fetch-Site` is set by the browser and cannot be forged by page scripts, so it
 * decides when present ("same-origin" and "none", a user-initiated request, pass; "same-site" and
 * "cross-site" do not, since a sibling subdomain is not trusted). Without it, `Origin` must be one of ours
 * ("null" never is). Requests with neither are not from a browser, so they cannot ride a visitor's cookies.
 * Exempt: /api/auth/** (next-auth checks its own CSRF token) and requests with a bearer token, which a
 * cross-site page cannot attach without a CORS preflight that we never grant.
 */
export type GuardVerdict = { ok: true } | { ok: false; status: 403 | 413; error: string };

const OK: GuardVerdict = { ok: true };
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const CROSS_SITE_ERROR = "Cross-site request refused";

export interface CrossSiteCheckInput {
  method: string;
  pathname: string;
  origin: string | null;
  secFetchSite: string | null;
  authorization: string | null;
  /**
   * Origins (scheme://host[:port]) this app is served from. Asked for only when the Origin header decides:
   * browsers send Sec-Fetch-Site, and working the origins out parses URLs on every request.
   */
  allowedOrigins: () => readonly string[];
}

function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

export function checkCrossSiteRequest({ method, pathname, origin, secFetchSite, authorization, allowedOrigins }: CrossSiteCheckInput): GuardVerdict {
  if (!isStateChanging(method) || !isUnder(pathname, "/api") || isUnder(pathname, "/api/auth")) return OK;
  if (authorization && /^Bearer\s+\S/i.test(authorization)) return OK;
  const refused: GuardVerdict = { ok: false, status: 403, error: CROSS_SITE_ERROR };
  if (secFetchSite) return secFetchSite === "same-origin" || secFetchSite === "none" ? OK : refused;
  if (origin === null) return OK;
  return allowedOrigins().includes(origin.toLowerCase()) ? OK : refused;
}

function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Our origins as seen by this request: the URL Next resolved, the public URL (NEXTAUTH_URL) and the host a
 * reverse proxy forwarded. Trusting X-Forwarded-Host here is safe: a cross-site page cannot set it.
 */
export function allowedOriginsFor({
  requestOrigin,
  configuredUrl,
  forwardedHost,
  forwardedProto,
}: {
  requestOrigin: string;
  configuredUrl?: string | null;
  forwardedHost?: string | null;
  forwardedProto?: string | null;
}): string[] {
  const origins = [originOf(requestOrigin), originOf(configuredUrl)];
  const host = forwardedHost?.split(",")[0]?.trim();
  if (host) {
    const proto = forwardedProto?.split(",")[0]?.trim() || new URL(requestOrigin).protocol.replace(":", "");
    origins.push(originOf(`${proto}://${host}`));
  }
  return [...new Set(origins.filter((origin): origin is string => origin !== null))];
}

export interface BodyLimits {
  /** tRPC and JSON bodies. */
  maxJsonBytes: number;
  /** Anything else (uploads). */
  maxUploadBytes: number;
}

export function bodyLimitFor(pathname: string, contentType: string | null, limits: BodyLimits): number {
  const isJson = /^application\/(.+\+)?json\b/i.test(contentType ?? "");
  return isJson || isUnder(pathname, "/api/trpc") ? limits.maxJsonBytes : limits.maxUploadBytes;
}

/** "1 MB", "512 KB", "10 MB" (binary units, as people read them). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export function tooLargeMessage(limit: number): string {
  return `This request is too large: the limit is ${formatBytes(limit)}.`;
}

/** A declared Content-Length over `limit` is refused before the body is read. */
export function checkContentLength(contentLength: string | null, limit: number): GuardVerdict {
  if (contentLength === null) return OK;
  const length = Number(contentLength);
  if (Number.isFinite(length) && length > limit) return { ok: false, status: 413, error: tooLargeMessage(limit) };
  return OK;
}

export interface GuardedRequest {
  method: string;
  pathname: string;
  /** The origin Next resolved for the request (request.nextUrl.origin). */
  requestOrigin: string;
  headers: Pick<Headers, "get">;
}

/** Both checks for one /api request: cross-site first, then the declared body size. */
export function guardApiRequest({ method, pathname, requestOrigin, headers }: GuardedRequest, options: BodyLimits & { configuredUrl?: string | null }): GuardVerdict {
  const crossSite = checkCrossSiteRequest({
    method,
    pathname,
    origin: headers.get("origin"),
    secFetchSite: headers.get("sec-fetch-site"),
    authorization: headers.get("authorization"),
    allowedOrigins: () =>
      allowedOriginsFor({
        requestOrigin,
        configuredUrl: options.configuredUrl,
        forwardedHost: headers.get("x-forwarded-host"),
        forwardedProto: headers.get("x-forwarded-proto"),
      }),
  });
  if (!crossSite.ok || !isStateChanging(method)) return crossSite;
  return checkContentLength(headers.get("content-length"), bodyLimitFor(pathname, headers.get("content-type"), options));
}
