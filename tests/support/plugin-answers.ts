// What the engine asks a resource plugin first, once it has its port: its version and its schema. For the tests that
// start a built plugin (the bundle, an executable) in an environment of their own.
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { startGrpcChild, unaryCall } from "./grpc-child";

/**
 * Starts the plugin as {@link startGrpcChild} does, asks GetPluginInfo and GetSchema, and stops it. Resolves with the
 * version, the parsed schema and what it printed on stderr; rejects if it exits before printing its port.
 */
export async function pluginAnswers(
  entry: string,
  args: string[],
  options: Parameters<typeof startGrpcChild>[2],
): Promise<{ version: string; schema: unknown; stderr: string }> {
  const { child, port, output } = await startGrpcChild(entry, args, options);
  try {
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      const info = await unaryCall<Empty, PluginInfo>(client, "getPluginInfo", new Empty());
      const schema = await unaryCall<pb.GetSchemaRequest, pb.GetSchemaResponse>(
        client,
        "getSchema",
        new pb.GetSchemaRequest(),
      );
      return { version: info.getVersion(), schema: JSON.parse(schema.getSchema()), stderr: output.stderr };
    } finally {
      client.close();
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    }
  }
}
