import "server-only";
import { resolveRequestOrigin } from "@/lib/domain/auth/trusted-origin";
import { env } from "@/lib/env";

/**
 * This site's origin as the request reached it (NEXTAUTH_URL when set, else the trusted Host; see
 * lib/domain/auth/trusted-origin.ts). The scheme is the one Next recorded for the request.
 */
export function publicOriginFor(headers: Headers, protocol?: string | null): string | null {
  return resolveRequestOrigin({
    configuredUrl: env.NEXTAUTH_URL,
    trustedHosts: env.AUTH_TRUSTED_HOSTS,
    host: headers.get("host"),
    protocol: protocol ?? headers.get("x-forwarded-proto"),
  });
}
