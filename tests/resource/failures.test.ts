// How failures leave a lifecycle whichever door serves it: told once (redacted, in config terms, the code for a
// stack), a bug after the task exists still recorded, and the one line a door shows.
import { OmsError } from "../../provider";
import { RecordedFailure } from "../../provider/core/lifecycle";
import { initFailure, messageOf, surface } from "../../provider/core/failures";
import { rememberSecrets } from "../../provider/errors/redact";
import { everythingIn, leaksIn, TASK_KEYS } from "../support/secrets";

beforeAll(() => rememberSecrets(...Object.values(TASK_KEYS)));

const thrown = (work: () => never): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

it("a bug after the task exists is recorded all the same, told as INVALID_RESPONSE in one redacted line", () => {
  const bug = new TypeError(`cannot read status of ${TASK_KEYS.srcSk}\n    at parse (wire.ts:1:1)`);
  const error = thrown(() => initFailure(bug, "SyncTask", "t-1", { state: "paused", status: "UNKNOWN" }));
  expect(error).toBeInstanceOf(RecordedFailure);
  const recorded = error as RecordedFailure;
  expect(recorded.code).toBe("INVALID_RESPONSE");
  expect(recorded.id).toBe("t-1");
  expect(recorded.properties).toEqual({ state: "paused", status: "UNKNOWN" });
  expect(recorded.message).toMatch(/^OMS create of sync task t-1 failed: SyncTask failed unexpectedly: cannot read/);
  expect(recorded.stack).toBe("INVALID_RESPONSE");
  expect(leaksIn(everythingIn(recorded))).toEqual([]);
});

it("an OMS failure is told once: surfacing it again changes nothing, and a door shows its message as it is", () => {
  const failure = new OmsError({ code: "OMS_API_ERROR", operation: "start", taskId: "t-1", reason: "refused" });
  const once = thrown(() => surface(failure, "SyncTask")) as OmsError;
  const twice = thrown(() => surface(once, "SyncTask")) as OmsError;
  expect(twice).toBe(once);
  expect(once.stack).toBe("OMS_API_ERROR");
  expect(messageOf(once)).toBe(once.message);
});

it("a door's own error is redacted and put on one line; a bug in a lifecycle is told once, not wrapped again", () => {
  expect(messageOf(new Error(`no such type\n  near ${TASK_KEYS.dstSk}`))).toBe("no such type near ***");
  const bug = thrown(() => surface(new RangeError(`bad ${TASK_KEYS.dstAk}`), "SyncEvent")) as Error;
  expect(bug.message).toBe("SyncEvent failed unexpectedly: bad ***");
  expect(thrown(() => surface(bug, "SyncEvent"))).toBe(bug);
  expect(messageOf(bug)).toBe(bug.message);
});
