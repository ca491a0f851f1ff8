import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy } from "@/lib/security-headers.js";
import { publicOriginFor } from "@/lib/server/http/public-origin";
import { guardApiRequest } from "@/lib/server/security/request-guard";

/**
 * API requests: cross-site and body-size checks (lib/server/security/request-guard.ts). Without
 * NEXTAUTH_URL, next-auth's requests carry the request's trusted origin in X-Forwarded-Host/-Proto
 * (whatever the client sent there is replaced), so sign-in and sign-out redirects and OAuth callbacks
 * follow the host the browser used (lib/domain/auth/trusted-origin.ts).
 * Pages: a Content-Security-Policy with a fresh script nonce per response. Next reads the nonce from
 * the request's policy header and puts it on the scripts it renders (every page is rendered per
 * request: the root layout reads the session).
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const verdict = guardApiRequest(
      { method: request.method, pathname: request.nextUrl.pathname, requestOrigin: request.nextUrl.origin, headers: request.headers },
      { configuredUrl: env.NEXTAUTH_URL, maxJsonBytes: env.MAX_JSON_BODY_BYTES, maxUploadBytes: env.MAX_UPLOAD_BODY_BYTES },
    );
    if (!verdict.ok) return NextResponse.json({ error: verdict.error }, { status: verdict.status });
    if (!env.NEXTAUTH_URL && request.nextUrl.pathname.startsWith("/api/auth/")) {
      const origin = publicOriginFor(request.headers, request.nextUrl.protocol);
      if (!origin) return NextResponse.json({ error: "This host name is not allowed to sign in. Set NEXTAUTH_URL or AUTH_TRUSTED_HOSTS." }, { status: 400 });
      const url = new URL(origin);
      const headers = new Headers(request.headers);
      headers.set("x-forwarded-host", url.host);
      headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
      return NextResponse.next({ request: { headers } });
    }
    return NextResponse.next();
  }
  const policy = contentSecurityPolicy(env.NODE_ENV === "development", Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64"));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
