// Faults the emulator plays instead of (or after) the real answer, the queue they wait in, and the gateway's
// throttle.
import type * as http from "http";
import type { Fault, FaultRule, LoggedRequest, Operation } from "./types";

/** Faults armed for the next matching requests. */
export class FaultQueue {
  private readonly rules: (FaultRule & { left: number; skip: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The fault for this request, if one is armed for it (counting it as played). */
  take(operation: Operation | undefined, taskId: string | undefined): Fault | undefined {
    const rule = this.rules.find(
      (f) =>
        f.left > 0 &&
        (f.operation === undefined || f.operation === operation) &&
        (f.taskId === undefined || f.taskId === taskId) &&
        (f.skip === 0 || ((f.skip -= 1), false)),
    );
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }
}

/** The gateway's throttle: at most `perSecond` requests in each one-second window (0: no limit). */
export class Throttle {
  private window = { second: 0, count: 0 };

  exceeded(perSecond: number): boolean {
    if (perSecond <= 0) return false;
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.window.second) this.window = { second, count: 0 };
    this.window.count += 1;
    return this.window.count > perSecond;
  }
}

/**
 * Plays `fault` on one request. `apply` performs the real operation (for a fault that answers after doing it);
 * `hung` collects responses left open, so that stopping the emulator can end them. Returns true when the fault
 * answered the request itself.
 */
export function playFault(
  fault: Fault,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  entry: LoggedRequest,
  apply: () => void,
  hung: Set<http.ServerResponse>,
): boolean {
  switch (fault.kind) {
    case "status": {
      entry.outcome = fault.status;
      const echo = (text: string) =>
        text.replace(/\{\{([a-z0-9-]+)\}\}/g, (_m, name: string) => String(req.headers[name] ?? ""));
      const headers = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k, echo(v)]));
      res.writeHead(fault.status, { "Content-Type": fault.contentType ?? "application/json", ...headers });
      res.end(echo(fault.body ?? ""));
      return true;
    }
    case "throttle": {
      entry.outcome = 429;
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (fault.retryAfter !== undefined) headers["Retry-After"] = fault.retryAfter;
      res.writeHead(429, headers);
      res.end(JSON.stringify({ error_code: "APIG.0308", error_msg: "The request is throttled." }));
      return true;
    }
    case "html":
      entry.outcome = fault.status;
      res.writeHead(fault.status, { "Content-Type": "text/html" });
      res.end(
        `<html><head><title>${fault.status} Gateway Error</title></head><body><h1>${fault.status}</h1><p>upstream unavailable</p></body></html>`,
      );
      return true;
    case "reset":
      entry.outcome = "reset";
      req.socket.destroy();
      return true;
    case "hang":
      entry.outcome = "hang";
      hung.add(res);
      res.on("close", () => hung.delete(res));
      return true;
    case "apply-then-reset":
      apply();
      entry.outcome = "reset";
      req.socket.destroy();
      return true;
    case "drip": {
      entry.outcome = "hang";
      res.writeHead(fault.status ?? 200, { "Content-Type": "application/json" });
      hung.add(res);
      const timer = setInterval(() => res.write("{"), fault.intervalMs);
      res.on("close", () => {
        clearInterval(timer);
        hung.delete(res);
      });
      return true;
    }
    case "endless": {
      entry.outcome = "hang";
      const headers: Record<string, string | number> = { "Content-Type": "application/json" };
      if (fault.contentLength !== undefined) headers["Content-Length"] = fault.contentLength;
      res.writeHead(fault.status ?? 200, headers);
      hung.add(res);
      const chunk = Buffer.alloc(64 * 1024, "<");
      let open = true;
      res.on("close", () => {
        open = false;
        hung.delete(res);
      });
      const pump = () => {
        while (open && res.write(chunk));
        if (open) res.once("drain", pump);
      };
      pump();
      return true;
    }
  }
}
