// How a failure leaves the plugin: one line the engine shows, and, when the lifecycle recorded the resource anyway
// (a create that made the task, an update that sent a start), Pulumi's partial-failure detail in the gRPC status.
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { RecordedFailure } from "../core/lifecycle";
import { messageOf } from "../core/failures";
import { toStruct } from "./values";

/** A lifecycle's {@link RecordedFailure}, its properties as the engine takes them (`secretKeys` kept secret). */
export class InitFailure extends Error {
  constructor(
    readonly recorded: RecordedFailure,
    readonly properties: Struct,
  ) {
    super(recorded.message);
  }
}

/** Rethrows a lifecycle failure; a {@link RecordedFailure} as an {@link InitFailure} that keeps `secretKeys` secret. */
export function rethrowRecorded(error: unknown, secretKeys: Iterable<string>): never {
  if (error instanceof RecordedFailure) throw new InitFailure(error, toStruct(error.properties, secretKeys));
  throw error;
}

/** The gRPC status for `error`, with the `ErrorResourceInitFailed` detail when it is an {@link InitFailure}. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
  const details = messageOf(error instanceof InitFailure ? error.recorded : error);
  const metadata = new grpc.Metadata();
  if (error instanceof InitFailure) {
    const detail = new ErrorResourceInitFailed();
    detail.setId(error.recorded.id);
    detail.setProperties(error.properties);
    detail.setReasonsList(error.recorded.reasons);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(details);
    status.addDetails(any);
    // The engine reads structured details from this trailer, as gRPC's Go implementation writes it.
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details, metadata };
}
