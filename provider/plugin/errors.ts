// How a failure leaves the plugin: one line the engine shows, and, when the lifecycle recorded the resource anyway
// (a create that made the task, an update that sent a start), Pulumi's partial-failure detail in the gRPC status.
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { redact, scanPrefix } from "../errors/redact";
import { toStruct, type Bag } from "./values";

/** A lifecycle failure after which the engine must record the resource under `id` with `properties`. */
export class InitFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Struct,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/**
 * Rethrows a lifecycle failure; one that carries `id`, `properties` and `reasons` (the lifecycle's `initFailure`,
 * which Pulumi's dynamic plugin reads the same way) becomes an {@link InitFailure} whose properties keep
 * `secretKeys` secret.
 */
export function rethrowRecorded(error: unknown, secretKeys: Iterable<string>): never {
  const e = error as Partial<{ id: unknown; properties: unknown; reasons: unknown; message: unknown }> | undefined;
  if (e && typeof e.id === "string" && e.id !== "" && e.properties && typeof e.properties === "object") {
    const reasons = Array.isArray(e.reasons) ? e.reasons.map(String) : [];
    throw new InitFailure(String(e.message), e.id, toStruct(e.properties as Bag, secretKeys), reasons);
  }
  throw error;
}

/** An error's message, redacted again and on one line; never a stack. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(scanPrefix(text)).replace(/\s*\n\s*/g, " ");
}

/** The gRPC status for `error`, with the `ErrorResourceInitFailed` detail when it is an {@link InitFailure}. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
  const details = messageOf(error);
  const metadata = new grpc.Metadata();
  if (error instanceof InitFailure) {
    const detail = new ErrorResourceInitFailed();
    detail.setId(error.id);
    detail.setProperties(error.properties);
    detail.setReasonsList(error.reasons.map((reason) => redact(reason)));
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
