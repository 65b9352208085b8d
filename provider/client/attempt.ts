// One attempt of a request, prepared just before it is sent (retries included): its timeout cut to the deadline, a
// timer that ends it whole, and its authentication (a token, or a signature over the exact request).
import type { InternalAxiosRequestConfig } from "axios";
import { omsState } from "./request-config";
import { sdkDate, sign } from "./signer";
import type { ApiAuth } from "./types";

/** The shortest per-request timeout when a deadline is near: a request needs some time to be worth sending. */
export const MIN_REQUEST_TIMEOUT_MS = 1_000;

/** Adds `X-Auth-Token`, or signs the exact request about to be sent (fresh `X-Sdk-Date` on every attempt). */
export function prepareAttempt(
  config: InternalAxiosRequestConfig,
  client: { auth: ApiAuth; projectId: string; requestTimeoutMs: number },
): InternalAxiosRequestConfig {
  const { auth, projectId, requestTimeoutMs } = client;
  const state = omsState(config);
  if (state.omsDeadline !== undefined) {
    const left = state.omsDeadline - Date.now();
    config.timeout = Math.min(requestTimeoutMs, Math.max(MIN_REQUEST_TIMEOUT_MS, left));
  }
  // The whole attempt (connect, headers and body) ends at its timeout, however slowly the body drips.
  const controller = new AbortController();
  state.omsAttemptTimedOut = false;
  state.omsAttemptTimer = setTimeout(() => {
    state.omsAttemptTimedOut = true;
    controller.abort();
  }, config.timeout ?? requestTimeoutMs);
  config.signal = controller.signal;
  if (auth.type === "token") {
    config.headers.set("X-Auth-Token", auth.token);
    return config;
  }
  const url = new URL(config.url ?? "");
  const query: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) (query[key] ??= []).push(value);
  const signed: Record<string, string> = {
    host: url.host,
    "x-sdk-date": sdkDate(new Date()),
    "x-project-id": projectId,
  };
  const contentType = config.headers.get("Content-Type");
  if (typeof contentType === "string") signed["content-type"] = contentType;
  if (auth.securityToken) signed["x-security-token"] = auth.securityToken;
  const body = typeof config.data === "string" ? config.data : "";
  const { authorization } = sign(
    { method: config.method ?? "GET", path: url.pathname, query, headers: signed, body },
    auth,
  );
  for (const [name, value] of Object.entries(signed)) config.headers.set(name, value);
  config.headers.set("Authorization", authorization);
  return config;
}
