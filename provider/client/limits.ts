// OMS's limits on what it is sent, each written once: the client enforces them and the resources' checks quote them.
// (The emulator keeps its own copy on purpose, so that a wrong limit here cannot hide behind the same one there.)

/** Control characters (C0, DEL, C1): HTTP strips or rejects them, so a value holding one can never work. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** A start key (`src_ak`, `src_sk`, `dst_ak`, `dst_sk`): 1–100 characters. */
export const MAX_KEY_CHARS = 100;
/** The CDN source's authentication key: up to 255 characters. */
export const MAX_CDN_KEY_CHARS = 255;
/** An IAM token (`X-Auth-Token`), and any other API credential value. */
export const MAX_TOKEN_CHARS = 16_384;
/** A project id. */
export const MAX_PROJECT_ID_CHARS = 1024;
/** A sync task id. */
export const MAX_TASK_ID_CHARS = 255;
/** An endpoint URL. */
export const MAX_ENDPOINT_CHARS = 2048;
/** A region name. */
export const MAX_REGION_CHARS = 64;
/** A task's description. */
export const MAX_DESCRIPTION_CHARS = 255;
/** Characters OMS refuses in a description (OMS.0078). */
export const DESCRIPTION_FORBIDDEN = /[<>()"'&]/;
/** OMS's KMS key ids: 36 characters (a UUID), letters, digits and `-`. */
export const KMS_KEY_ID_SHAPE = /^[A-Za-z0-9-]{36}$/;
/** The most sync tasks OMS allows one account (tenant), over all its projects. */
export const SYNC_TASK_QUOTA = 5;
/** The statistics call's data types, each one series (`SIZE` in bytes, the rest object counts). */
export const STATISTICS_DATA_TYPES = ["REQUEST", "SUCCESS", "FAILURE", "SKIP", "SIZE"] as const;
/** OMS's answer holds at most 1,000 points per series (its reference gives each array 0–1000 items). */
export const MAX_STATISTICS_POINTS = 1000;
/**
 * The longest statistics range asked for, in ms: 1,000 hours. OMS documents no range limit but at most
 * {@link MAX_STATISTICS_POINTS} points a series, at most an hour apart (`ONE_HOUR`), so a longer range could not be
 * answered whole; it is refused before it is sent rather than cut short by OMS.
 */
export const MAX_STATISTICS_RANGE_MS = MAX_STATISTICS_POINTS * 3_600_000;
/** The earliest and latest 13-digit epoch milliseconds, the form OMS takes `start_time` and `end_time` in. */
export const EPOCH_MS_13_DIGITS = { min: 1_000_000_000_000, max: 9_999_999_999_999 } as const;
/** A sync event names at most 10 objects (and at least one). */
export const MAX_EVENT_OBJECT_KEYS = 10;
/** An object name (key) is at most 1,024 bytes in UTF-8 on OBS and the clouds OMS reads from. */
export const MAX_OBJECT_KEY_BYTES = 1024;
