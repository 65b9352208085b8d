// A release's downloads on a loopback HTTP server: the folder `npm run plugin:pack` writes, served under a path as a
// `--server` or `pluginDownloadURL` names it. Every request is recorded; the CLI refuses an answer without
// Content-Length, so every answer has one.
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";

/** One request the server answered. */
export interface ServedRequest {
  method: string;
  path: string;
  status: number;
}

export class ReleaseServer {
  readonly requests: ServedRequest[] = [];
  private readonly server: http.Server;
  private origin = "";

  /** Serves the files of `folder` under `prefix` (e.g. `/releases`); any other path is a 404. */
  private constructor(
    private readonly folder: string,
    private readonly prefix: string,
  ) {
    this.server = http.createServer((req, res) => this.answer(req, res));
  }

  static async start(folder: string, prefix: string): Promise<ReleaseServer> {
    const served = new ReleaseServer(folder, prefix);
    await new Promise<void>((resolve) => served.server.listen(0, "127.0.0.1", resolve));
    served.origin = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
    return served;
  }

  /** The URL of `under` on this server (`/releases`, say), for `--server` or `pluginDownloadURL`. */
  url(under: string): string {
    return `${this.origin}${under}`;
  }

  /** How many GETs `pathname` had. */
  gets(pathname: string): number {
    return this.requests.filter((r) => r.method === "GET" && r.path === pathname).length;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const name = pathname.startsWith(`${this.prefix}/`) ? pathname.slice(this.prefix.length + 1) : "";
    const file = path.join(this.folder, name);
    const found = /^[\w.-]+$/.test(name) && fs.existsSync(file) && fs.statSync(file).isFile();
    this.requests.push({ method: req.method ?? "", path: pathname, status: found ? 200 : 404 });
    if (!found) {
      res.writeHead(404, { "Content-Type": "text/plain", "Content-Length": "10" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/gzip", "Content-Length": fs.statSync(file).size });
    if (req.method === "HEAD") res.end();
    else fs.createReadStream(file).pipe(res);
  }
}
