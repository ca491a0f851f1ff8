// @ts-check
/**
 * The security headers of every response: next.config.js gives them to Next's routes and the fast lane
 * (lib/server/http/fast-lane.ts) to the API requests it serves itself. Plain JavaScript because
 * next.config.js imports it.
 */

/** @param {boolean} isDevelopment */
export function contentSecurityPolicy(isDevelopment) {
  /** React's development build and Next's hot reload evaluate code with eval; production never needs it. */
  const scriptSources = ["'self'", "'unsafe-inline'", ...(isDevelopment ? ["'unsafe-eval'"] : [])].join(" ");
  return [
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
}

/**
 * @param {boolean} isDevelopment
 * @returns {{ key: string; value: string }[]}
 */
export function securityHeaders(isDevelopment) {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Content-Security-Policy", value: contentSecurityPolicy(isDevelopment) },
    // Browsers ignore HSTS over plain HTTP, so this only pins HTTPS where the site already uses it.
    ...(isDevelopment ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000" }]),
  ];
}
