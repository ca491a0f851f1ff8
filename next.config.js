import { env } from "./lib/env.js";
import { API_CONTENT_SECURITY_POLICY, commonSecurityHeaders } from "./lib/security-headers.js";

const isDevelopment = env.NODE_ENV === "development";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  distDir: env.NEXT_DIST_DIR,
  // `npm run typecheck` checks the whole project (tests and scripts too) as its own step of `npm test`;
  // skipping the duplicate check here keeps builds fast and independent of work-in-progress test files.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  serverExternalPackages: ["@libsql/client", "libsql", "@prisma/adapter-libsql", "pg", "@prisma/schema-engine-wasm", "ioredis"],
  experimental: {
    // proxy.ts makes Next buffer request bodies up to this size; larger uploads are refused there with 413.
    proxyClientMaxBodySize: env.MAX_UPLOAD_BODY_BYTES,
  },
  async headers() {
    return [
      { source: "/:path*", headers: commonSecurityHeaders(isDevelopment) },
      // Pages get a policy with a fresh nonce from proxy.ts; the media route keeps its own sandbox policy.
      { source: "/api/:path((?!media/).*)", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
