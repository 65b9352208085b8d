#!/usr/bin/env node
// `pulumi-resource-oms`: the engine starts it with its own address as the argument (unused: the plugin logs nothing)
// and reads the port from the first line of stdout. Nothing else is ever printed there; a fatal failure prints one
// redacted line on stderr, never a stack.
import { messageOf } from "../core/failures";
import { startServer } from "./server";

function fail(error: unknown): never {
  process.stderr.write(`oms plugin: ${messageOf(error)}\n`);
  process.exit(1);
}

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

startServer().then(({ server, port }) => {
  process.stdout.write(`${port}\n`);
  const stop = () => {
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}, fail);
