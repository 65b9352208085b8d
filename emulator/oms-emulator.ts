// An in-process OMS v2 sync-task service for tests and demos. It follows the documented wire format only and shares
// no code with the client. By job: `server.ts` (HTTP, log, faults in play), `routes.ts` (which operation, who is
// asking), `task-store.ts` (the account's tasks and what each operation does), `bodies.ts` and `crypto.ts` (what a
// create or start must carry), `faults.ts` (the faults and the throttle).
export { OmsEmulator } from "./server";
export type {
  DataType,
  EmulatedTask,
  EmulatorOptions,
  Fault,
  FaultRule,
  LoggedRequest,
  OpposingCall,
  Operation,
  Status,
  TaskSeed,
  TrafficRecord,
} from "./types";
