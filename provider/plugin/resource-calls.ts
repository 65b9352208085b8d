// The resource calls of the protocol, each a translation: protocol values in, the lifecycle's own call, protocol
// values out. What a call does to OMS is the lifecycle's alone.
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import {
  CheckFailure,
  CheckResponse,
  CreateResponse,
  ReadResponse,
  UpdateResponse,
  type CheckRequest,
  type CreateRequest,
  type DeleteRequest,
  type DiffRequest,
  type DiffResponse,
  type ReadRequest,
  type UpdateRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../core/values";
import { diffResponse } from "./diff";
import { rethrowRecorded } from "./errors";
import { imported, isImport } from "./import";
import { resourceOf } from "./resources";
import type { ResourceKeys } from "./schema";
import { received, toStruct, type Bag } from "./values";

/** Check: the lifecycle's checked inputs and failures; secrets stay secret, and keys always are. */
export async function check(request: CheckRequest): Promise<CheckResponse> {
  const { lifecycle, keys } = resourceOf(request);
  const olds = received(request.getOlds());
  const news = received(request.getNews());
  const result = await lifecycle.check(olds.bag, news.bag);
  const response = new CheckResponse();
  response.setInputs(toStruct(result.inputs as Bag, [...news.secrets, ...keys.secrets]));
  response.setFailuresList(
    (result.failures ?? []).map((f) => {
      const failure = new CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(f.reason);
      return failure;
    }),
  );
  return response;
}

/** Diff: the old outputs against the new checked inputs, as the dynamic plugin passes them. */
export async function diff(request: DiffRequest): Promise<DiffResponse> {
  const { lifecycle, keys } = resourceOf(request);
  const olds = received(request.getOlds()).bag;
  const news = received(request.getNews()).bag;
  return diffResponse(await lifecycle.diff(request.getId(), olds, news), olds, news, keys);
}

/**
 * Outputs of a create in a preview, without a call: the inputs, and every output only OMS knows (or always set and
 * not given) unknown.
 */
function previewCreated(inputs: Bag, keys: ResourceKeys): Bag {
  const outputs = { ...inputs };
  for (const key of [...keys.outputsOnly, ...keys.alwaysSet]) outputs[key] ??= UNKNOWN;
  return outputs;
}

/** Outputs of an update in a preview, without a call: the new inputs, what stays, and what OMS may change unknown. */
function previewUpdated(olds: Bag, news: Bag, keys: ResourceKeys): Bag {
  const outputs = { ...news };
  for (const key of keys.alwaysSet) outputs[key] ??= olds[key] ?? UNKNOWN;
  for (const key of keys.outputsOnly) outputs[key] = UNKNOWN;
  return outputs;
}

/** Create: in a preview, no call; else the lifecycle's create, its partial failure kept as one. */
export async function create(request: CreateRequest): Promise<CreateResponse> {
  const { lifecycle, keys } = resourceOf(request);
  const props = received(request.getProperties());
  const secrets = [...props.secrets, ...keys.secrets];
  const response = new CreateResponse();
  if (request.getPreview()) {
    response.setProperties(toStruct(previewCreated(props.bag, keys), secrets));
    return response;
  }
  const result = await lifecycle.create(props.bag).catch((error: unknown) => rethrowRecorded(error, secrets));
  response.setId(result.id);
  response.setProperties(toStruct(result.outs as Bag, secrets));
  return response;
}

/**
 * Read: a refresh (stored outputs and inputs), or an import or a program's `get` (only the id). A task gone from OMS
 * is an empty id on a refresh, which drops the resource; otherwise it is an error, since there is nothing to read.
 */
export async function read(request: ReadRequest): Promise<ReadResponse> {
  const { token, lifecycle, keys } = resourceOf(request);
  const props = received(request.getProperties());
  const inputs = received(request.getInputs());
  const importing = isImport(props.bag, inputs.bag);
  const result = await lifecycle.read(request.getId(), props.bag);
  const response = new ReadResponse();
  if (!result.id) {
    if (importing) {
      throw new Error(
        `cannot import or read ${token} ${JSON.stringify(request.getId())}: OMS shows no such sync task in this project and region (check the id and the provider's projectId, region and endpoint)`,
      );
    }
    return response;
  }
  let outputs = (result.props ?? props.bag) as Bag;
  let given = (result.inputs ?? inputs.bag) as Bag;
  if (importing) ({ outputs, inputs: given } = imported(outputs, given));
  response.setId(result.id);
  response.setProperties(toStruct(outputs, [...props.secrets, ...keys.secrets]));
  response.setInputs(toStruct(given, [...inputs.secrets, ...keys.secrets]));
  return response;
}

/** Update: in a preview, no call; else the lifecycle's update over the old outputs, its partial failure kept. */
export async function update(request: UpdateRequest): Promise<UpdateResponse> {
  const { lifecycle, keys } = resourceOf(request);
  const olds = received(request.getOlds());
  const news = received(request.getNews());
  const secrets = [...olds.secrets, ...news.secrets, ...keys.secrets];
  const response = new UpdateResponse();
  if (request.getPreview()) {
    response.setProperties(toStruct(previewUpdated(olds.bag, news.bag, keys), secrets));
    return response;
  }
  const result = await lifecycle
    .update(request.getId(), olds.bag, news.bag)
    .catch((error: unknown) => rethrowRecorded(error, secrets));
  response.setProperties(toStruct((result.outs ?? {}) as Bag, secrets));
  return response;
}

/** Delete: the lifecycle's delete over the stored outputs. */
export async function remove(request: DeleteRequest): Promise<Empty> {
  const { lifecycle } = resourceOf(request);
  await lifecycle.remove(request.getId(), received(request.getProperties()).bag);
  return new Empty();
}
