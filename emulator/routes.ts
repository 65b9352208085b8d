// Which operation a request is, from its method and path, and whether it is authenticated.
import type * as http from "http";
import { verifyAkSk, type AkSkCredential } from "./aksk-verifier";
import { omsError, type Reply } from "./reply";
import type { Operation } from "./types";

export interface Route {
  operation: Operation;
  projectId: string;
  taskId?: string;
  query: URLSearchParams;
}

export function parseRoute(method: string, rawUrl: string): Route | undefined {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1));
  const parts = path
    .split("/")
    .slice(1)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  // Any base path may precede /v2/{project}/sync-tasks.
  const v2 = parts.lastIndexOf("sync-tasks") - 2;
  if (v2 < 0 || parts[v2] !== "v2") return undefined;
  const projectId = parts[v2 + 1];
  const rest = parts.slice(v2 + 3);
  if (rest.length === 0 && method === "POST") return { operation: "create", projectId, query };
  if (rest.length === 0 && method === "GET") return { operation: "list", projectId, query };
  const taskId = rest[0];
  if (rest.length === 1 && method === "GET") return { operation: "show", projectId, taskId, query };
  if (rest.length === 1 && method === "DELETE") return { operation: "delete", projectId, taskId, query };
  if (rest.length === 2 && method === "POST" && rest[1] === "start")
    return { operation: "start", projectId, taskId, query };
  if (rest.length === 2 && method === "POST" && rest[1] === "stop")
    return { operation: "stop", projectId, taskId, query };
  if (rest.length === 2 && method === "GET" && rest[1] === "statistics")
    return { operation: "statistics", projectId, taskId, query };
  if (rest.length === 2 && method === "POST" && rest[1] === "events")
    return { operation: "events", projectId, taskId, query };
  return undefined;
}

/** Whether a request may go on: a known token, or a valid AK/SK signature; else the gateway's 401. */
export function authenticate(
  req: http.IncomingMessage,
  url: string,
  body: Buffer,
  options: { tokens: string[]; credentials: AkSkCredential[]; now: () => number },
): Reply | undefined {
  const token = req.headers["x-auth-token"];
  if (typeof token === "string") {
    return options.tokens.includes(token) ? undefined : omsError(401, "APIG.0307", "The token must be updated.");
  }
  if (req.headers.authorization) {
    const result = verifyAkSk(req.method ?? "GET", url, req.headers, body, options.credentials, options.now());
    return result.ok ? undefined : omsError(401, result.code, result.message);
  }
  return omsError(401, "APIG.0301", "Incorrect IAM authentication information: no token or signature");
}
