// Pulumi's plugin hosts (the dynamic-provider plugin, the policy runner) print their gRPC port as the first line of
// stdout. Starting one and making unary calls to it, once for both.
import { spawn, type ChildProcess } from "child_process";
import type * as grpc from "@grpc/grpc-js";

/** Everything the process printed so far. */
export interface ChildOutput {
  stdout: string;
  stderr: string;
}

/**
 * Starts `node <entry> <args>` (or, with `executable`, `<entry> <args>`: a plugin built as one executable) and waits
 * for the port it prints; rejects, with its stderr, if it exits first (or cannot be started).
 */
export async function startGrpcChild(
  entry: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; name: string; executable?: boolean },
): Promise<{ child: ChildProcess; port: number; output: ChildOutput }> {
  const [command, argv] = options.executable ? [entry, args] : [process.execPath, [entry, ...args]];
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: ChildOutput = { stdout: "", stderr: "" };
  child.stdout!.on("data", (d) => (output.stdout += d));
  child.stderr!.on("data", (d) => (output.stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    const firstLine = () => {
      if (!output.stdout.includes("\n")) return;
      child.stdout!.off("data", firstLine);
      resolve(Number(output.stdout.split("\n")[0].trim()));
    };
    child.stdout!.on("data", firstLine);
    // A command that cannot be started (not found, not executable) may never emit `exit`.
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${options.name} exited (${code}): ${output.stderr}`)));
  });
  return { child, port, output };
}

/** One unary call of `method` on a generated gRPC client. */
export function unaryCall<Req, Res>(client: grpc.Client, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (
      client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>
    )[method];
    fn.call(client, request, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
