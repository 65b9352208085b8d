// The `oms` resource provider over gRPC, with the stubs @pulumi/pulumi ships. Each method is a translation (see the
// modules it calls); this file only routes, answers the plugin's own questions, and turns failures into statuses.
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { ResourceProviderService, type IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetMappingResponse, GetMappingsResponse, GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { cancelWaits, isCancelled } from "../core/wait";
import { checkConfig, configureFrom, diffConfig } from "./config";
import { toServiceError } from "./errors";
import { invoke } from "./function";
import { packageInfo } from "./package-info";
import { check, create, diff, read, remove, update } from "./resource-calls";
import { buildSchema } from "./schema";

/** The largest message the engine may send or take, as Pulumi's own plugins allow. */
export const MAX_RPC_MESSAGE_BYTES = 400 * 1024 * 1024;

type Handler<Req, Res> = (request: Req) => Promise<Res>;

/** A unary method from an async handler: its answer, or its failure as a status the engine shows. */
function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        const status = toServiceError(error);
        callback(status, null, status.metadata);
      },
    );
  };
}

function unimplemented<Req, Res>(method: string): grpc.handleUnaryCall<Req, Res> {
  return (_call, callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${method} is not implemented by the oms plugin` });
}

/**
 * The service. `Cancel` ends the waits of calls in flight at once (each fails as a timed-out wait does, recording what
 * it sent, so the next `pulumi up` converges), and new resource calls are refused: the engine is shutting down.
 */
export function providerService(): IResourceProviderServer {
  const unlessCancelled =
    <Req, Res>(handler: Handler<Req, Res>): Handler<Req, Res> =>
    (request) => {
      if (isCancelled()) return Promise.reject(new Error("the oms plugin was cancelled: the engine is shutting down"));
      return handler(request);
    };
  const schema = JSON.stringify(buildSchema());
  return {
    getPluginInfo: unary(async () => new PluginInfo().setVersion(packageInfo().version)),
    getSchema: unary(async () => new GetSchemaResponse().setSchema(schema)),
    checkConfig: unary(checkConfig),
    diffConfig: unary(diffConfig),
    configure: unary(configureFrom),
    check: unary(unlessCancelled(check)),
    diff: unary(unlessCancelled(diff)),
    create: unary(unlessCancelled(create)),
    read: unary(unlessCancelled(read)),
    update: unary(unlessCancelled(update)),
    delete: unary(unlessCancelled(remove)),
    invoke: unary(unlessCancelled(invoke)),
    cancel: unary(async () => {
      cancelWaits();
      return new Empty();
    }),
    // Only `pulumi convert` from Terraform asks for mappings: there are none.
    getMapping: unary(async () => new GetMappingResponse()),
    getMappings: unary(async () => new GetMappingsResponse()),
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    call: unimplemented("Call"),
    construct: unimplemented("Construct"),
    attach: unimplemented("Attach"),
    list: (call) =>
      call.emit("error", { code: grpc.status.UNIMPLEMENTED, details: "List is not implemented by the oms plugin" }),
  };
}

/** Serves the provider on `address` (`host:port`, port 0 picks one). Resolves with the server and its port. */
export function startServer(address = "127.0.0.1:0"): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
  });
  server.addService(ResourceProviderService, providerService());
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve({ server, port }),
    );
  });
}
