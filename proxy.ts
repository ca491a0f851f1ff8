import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { guardApiRequest } from "@/lib/server/security/request-guard";

/** Cross-site and body-size checks for every API request (see lib/server/security/request-guard.ts). */
export function proxy(request: NextRequest) {
  const verdict = guardApiRequest(
    { method: request.method, pathname: request.nextUrl.pathname, requestOrigin: request.nextUrl.origin, headers: request.headers },
    { configuredUrl: env.NEXTAUTH_URL, maxJsonBytes: env.MAX_JSON_BODY_BYTES, maxUploadBytes: env.MAX_UPLOAD_BODY_BYTES },
  );
  if (!verdict.ok) return NextResponse.json({ error: verdict.error }, { status: verdict.status });
  return NextResponse.next();
}

export const config = { matcher: ["/api/:path*"] };
