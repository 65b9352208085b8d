// The statistics and sync-event calls of one task: series summed from the task's traffic records, and events
// checked as OMS checks them, recorded, and counted as traffic (each key one object requested and synchronized).
import { jsonObject, omsError, Reply } from "./reply";
import type { DataType, EmulatedTask } from "./types";

const DATA_TYPES: DataType[] = ["REQUEST", "SUCCESS", "FAILURE", "SKIP", "SIZE"];
/** The most points OMS puts in one series. */
const MAX_POINTS = 1000;
/** Up to a day OMS answers in 5-minute points, beyond in hourly ones (its two `statistic_time_type`s). */
const FIVE_MINUTES_MS = 300_000;
const ONE_HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_EVENT_KEYS = 10;
const MAX_KEY_BYTES = 1024;
/** The size the emulator books for each object an event synchronizes, in bytes. */
export const EVENT_OBJECT_BYTES = 1024;

/** `GET …/statistics?data_type=A[,B]&start_time=ms&end_time=ms`: every bucket of the range, zeros included. */
export function statistics(task: EmulatedTask, query: URLSearchParams): Reply {
  const types = (query.get("data_type") ?? "").split(",");
  if (types.some((t) => !DATA_TYPES.includes(t as DataType))) {
    return omsError(400, "OMS.0064", "Invalid request parameters: data_type.");
  }
  const [start, end] = [query.get("start_time"), query.get("end_time")].map((v) =>
    v && /^\d{13}$/.test(v) ? Number(v) : NaN,
  );
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    return omsError(400, "OMS.0064", "Invalid request parameters: start_time or end_time.");
  }
  const step = end - start <= DAY_MS ? FIVE_MINUTES_MS : ONE_HOUR_MS;
  const buckets = Math.ceil((end - start) / step);
  if (buckets > MAX_POINTS) return omsError(400, "OMS.0064", "Invalid request parameters: the time range is too long.");
  return new Reply(200, {
    sync_task_id: task.id,
    statistic_time_type: step === FIVE_MINUTES_MS ? "FIVE_MINUTES" : "ONE_HOUR",
    statistic_datas: types.map((dataType) => {
      const data = Array.from({ length: buckets }, (_, i) => ({ time_stamp: start + i * step, statistic_num: 0 }));
      for (const record of task.traffic) {
        if (record.dataType === dataType && record.at >= start && record.at < end) {
          data[Math.floor((record.at - start) / step)].statistic_num += record.value;
        }
      }
      return { data_type: dataType, data };
    }),
  });
}

/**
 * `POST …/events` `{"object_keys": [1–10 URL-encoded names]}`. A task that is not synchronizing refuses it with
 * OMS.0066 (inferred: OMS's code for "not in progress"); too many, too few or badly encoded keys with OMS.0064.
 */
export function syncEvents(task: EmulatedTask, raw: Buffer, now: number): Reply {
  const body = jsonObject(raw);
  if (body instanceof Reply) return body;
  const keys = body.object_keys;
  if (!Array.isArray(keys)) return omsError(400, "OMS.1004", "Required parameter missing: object_keys.");
  if (keys.length < 1 || keys.length > MAX_EVENT_KEYS) {
    return omsError(400, "OMS.0064", `Invalid request parameters: object_keys holds 1 to ${MAX_EVENT_KEYS} keys.`);
  }
  const decoded: string[] = [];
  for (const key of keys) {
    // A URL-encoded key is printable ASCII without spaces: anything else was sent unencoded.
    if (typeof key !== "string" || key === "" || !/^[\x21-\x7e]+$/.test(key)) {
      return omsError(400, "OMS.0064", "Invalid request parameters: object_keys must be URL-encoded.");
    }
    let name: string;
    try {
      name = decodeURIComponent(key);
    } catch {
      return omsError(400, "OMS.0064", "Invalid request parameters: object_keys must be URL-encoded.");
    }
    if (Buffer.byteLength(name, "utf8") > MAX_KEY_BYTES) {
      return omsError(400, "OMS.0064", "Invalid request parameters: an object key is too long.");
    }
    decoded.push(name);
  }
  if (task.status !== "SYNCHRONIZING") {
    return omsError(400, "OMS.0066", "The task is not in progress.");
  }
  task.events.push({ at: now, objectKeys: decoded });
  task.traffic.push(
    { at: now, dataType: "REQUEST", value: decoded.length },
    { at: now, dataType: "SUCCESS", value: decoded.length },
    { at: now, dataType: "SIZE", value: decoded.length * EVENT_OBJECT_BYTES },
  );
  return new Reply(200, undefined);
}
