/**
 * The site's public origin for one request, for auth redirects and callbacks and for the absolute
 * URLs the pages show (copyable commands). NEXTAUTH_URL, when set, always wins. Otherwise the
 * request's Host header is used, but only when trusted: listed in AUTH_TRUSTED_HOSTS (exact names,
 * optional port, or "*.suffix" wildcards), or, with no list, any well-formed Host (the name the
 * browser used to reach this server). A Host outside the list falls back to the list's first name.
 * X-Forwarded-Host is never read here: only a trusted proxy may set it (TRUSTED_PROXIES).
 */

/** host, host:port, IPv4, or [IPv6](:port): letters, digits, dots, dashes; nothing that could end a URL authority. */
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*\.?)(?::\d{1,5})?$/i;

export interface TOriginInput {
  configuredUrl?: string | null;
  /** AUTH_TRUSTED_HOSTS as configured: comma-separated. */
  trustedHosts?: string | null;
  host: string | null;
  /** "https" when the request arrived over TLS (as far as the server can tell); anything else is http. */
  protocol?: string | null;
}

function parseTrustedHosts(list: string | null | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

const hostnameOf = (host: string) => (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, ""));

/** Whether `host` (with any port) matches an allow-list entry: "name" (any port), "name:port" (that port), "*.suffix" (subdomains). */
export function isTrustedHost(host: string, trusted: readonly string[]): boolean {
  const lower = host.toLowerCase();
  const hostname = hostnameOf(lower);
  return trusted.some((entry) => {
    if (entry.startsWith("*.")) return hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1;
    return entry.includes(":") && !entry.startsWith("[") ? lower === entry : hostname === entry || lower === entry;
  });
}

/** The public origin ("http://host:port") for a request, or null when none can be trusted. */
export function resolveRequestOrigin({ configuredUrl, trustedHosts, host, protocol }: TOriginInput): string | null {
  if (configuredUrl) return new URL(configuredUrl).origin;
  const scheme = protocol?.replace(/:$/, "").toLowerCase() === "https" ? "https" : "http";
  const list = parseTrustedHosts(trustedHosts);
  const candidate = host?.trim() ?? "";
  const wellFormed = candidate !== "" && HOST_PATTERN.test(candidate);
  if (list.length === 0) return wellFormed ? `${scheme}://${candidate.toLowerCase()}` : null;
  if (wellFormed && isTrustedHost(candidate, list)) return `${scheme}://${candidate.toLowerCase()}`;
  const fallback = list.find((entry) => !entry.startsWith("*."));
  return fallback ? `${scheme}://${fallback}` : null;
}
