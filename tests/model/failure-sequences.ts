// The sequences where a failure is followed by another command that once broke `up`'s promise silently: OMS ended
// other than the program said, with no error and no refresh in between. Replayed at both levels by name.
import { Commands } from "./commands";
import type { FaultSpec } from "./world";

const { DeclareTask, Flip, Arm, Destroy, Up, RotateConfigKeys, RotateOwnKeys } = Commands;
const task = { started: true, kms: false, cdn: false, ownKeys: false, longBucket: false, short: false };
/** A status change slower than the short timeoutSeconds at either level, its rerun deferred. */
const slow: FaultSpec = { kind: "slow", ms: 3000, defer: true };
/** A 400 for one operation, its rerun deferred. */
const refused = (op: "delete" | "show" | "start"): FaultSpec => ({
  kind: "echo",
  op,
  secret: 0,
  encoding: "raw",
  status: 400,
  json: true,
  defer: true,
});

export const FAILURE_THEN_NEXT = [
  [
    "a timed-out pause, then the program flipped back to started",
    () => [new DeclareTask({ ...task, short: true }), new Arm(slow), new Flip(0), new Flip(0)],
  ],
  [
    "a timed-out start, then the program flipped back to paused",
    () => [new DeclareTask({ ...task, started: false, short: true }), new Arm(slow), new Flip(0), new Flip(0)],
  ],
  [
    "a destroy whose delete is refused after the pause, then up",
    () => [new DeclareTask(task), new Arm(refused("delete")), new Destroy(0), new Up(0)],
  ],
  [
    "a create that fails after OMS made the task, then rotated keys, then up",
    () => [new Arm(refused("show")), new DeclareTask(task), new RotateConfigKeys(), new Up(0)],
  ],
  [
    "a restart for rotated keys whose start is refused after its stop, then up",
    () => [
      new DeclareTask({ ...task, short: true }),
      new Arm({ ...refused("start"), defer: false }),
      new RotateOwnKeys(0),
      new Up(0),
    ],
  ],
] as const;
