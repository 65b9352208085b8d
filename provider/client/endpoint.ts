/** Regions where OMS offers sync tasks. */
export const SYNC_TASK_REGIONS: readonly string[] = ["cn-north-4", "cn-east-3", "cn-southwest-2"];

/** The OMS endpoint for a region: `https://oms.{region}.myhuaweicloud.com`. */
export function defaultEndpoint(region: string): string {
  return `https://oms.${region}.myhuaweicloud.com`;
}

/** True for `localhost`, 127.0.0.0/8 and `::1`: the only hosts plain `http://` may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Checks an endpoint URL and returns it without a trailing `/`. Returns an error sentence instead when it is not
 * an absolute `https://` URL (or `http://` to a loopback host), or carries credentials, a query or a fragment.
 */
export function validateEndpoint(endpoint: string): { url: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(endpoint);
  } catch {
    return { problem: "is not an absolute URL; use e.g. https://oms.cn-north-4.myhuaweicloud.com" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return { problem: `uses ${parsed.protocol.replace(":", "")}; use an https:// URL` };
  }
  if (parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    return {
      problem:
        "uses http:// to a host that is not loopback; keys would cross the network in clear text, so use https:// (http:// is allowed only for localhost, 127.0.0.0/8 and ::1)",
    };
  }
  if (parsed.username || parsed.password) {
    return { problem: "contains a user name or password; remove them and configure credentials as oms:* secrets" };
  }
  if (parsed.search || parsed.hash) {
    return { problem: "has a query or fragment; give only scheme, host, port and optional base path" };
  }
  return { url: parsed.origin + parsed.pathname.replace(/\/+$/, "") };
}
