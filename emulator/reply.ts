// An answer the emulator sends: a status and a JSON body (or none), and OMS's error shape.

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export const omsError = (status: number, code: string, msg: string) =>
  new Reply(status, { error_code: code, error_msg: msg });

/** A request body as a JSON object, or the OMS.0067 answer. */
export function jsonObject(raw: Buffer): Record<string, unknown> | Reply {
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  return omsError(400, "OMS.0067", "The request body is not in JSON format.");
}
