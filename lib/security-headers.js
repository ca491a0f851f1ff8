// @ts-check
/**
 * The security headers of every response. next.config.js gives the common ones to every route and the
 * API policy to /api (except the media route, which sends its own sandbox policy); proxy.ts gives each
 * page its own policy with a fresh script nonce; the fast lane (lib/server/http/fast-lane.ts) and
 * scripts/serve.js put `securityHeaders` on the API answers they send themselves. Plain JavaScript
 * because next.config.js and scripts/serve.js import it.
 */

/**
 * A page's policy: scripts only with this response's nonce (Next puts it on its own scripts, read from
 * the request's policy header) and what those scripts load ('strict-dynamic'); never 'unsafe-inline'.
 * Inline styles stay allowed: React and Recharts set style attributes.
 * @param {boolean} isDevelopment
 * @param {string} nonce
 */
export function contentSecurityPolicy(isDevelopment, nonce) {
  /** React's development build and Next's hot reload evaluate code with eval; production never needs it. */
  const scriptSources = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isDevelopment ? ["'unsafe-eval'"] : [])].join(" ");
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

/** API answers are data, never documents: nothing may load or run from them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers of every response, without a Content-Security-Policy (each kind of response has its own).
 * @param {boolean} isDevelopment
 * @returns {{ key: string; value: string }[]}
 */
export function commonSecurityHeaders(isDevelopment) {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    // Browsers ignore HSTS over plain HTTP, so this only pins HTTPS where the site already uses it.
    ...(isDevelopment ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000" }]),
  ];
}

/**
 * The headers of an API answer.
 * @param {boolean} isDevelopment
 * @returns {{ key: string; value: string }[]}
 */
export function securityHeaders(isDevelopment) {
  return [...commonSecurityHeaders(isDevelopment), { key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }];
}
