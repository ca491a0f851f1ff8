import { env } from "./lib/env.js";

const isDevelopment = env.NODE_ENV === "development";

/** React's development build and Next's hot reload evaluate code with eval; production never needs it. */
const scriptSources = ["'self'", "'unsafe-inline'", ...(isDevelopment ? ["'unsafe-eval'"] : [])].join(" ");

const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src ${scriptSources}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

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
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          // Browsers ignore HSTS over plain HTTP, so this only pins HTTPS where the site already uses it.
          ...(isDevelopment ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000" }]),
        ],
      },
    ];
  },
};

export default nextConfig;
