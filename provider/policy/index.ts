// `pulumi-oms-sync/policy`: policies that stop OMS mistakes at `pulumi preview`. Needs `@pulumi/policy` (an
// optional peer dependency) only for its types; a program that uses just the resources never loads this module.
export {
  consistencyCheck,
  explicitSourceCloud,
  omsPolicies,
  oneManagerPerTask,
  oneTaskPerBucketPair,
  protectTasks,
  requireKms,
  storagePolicy,
  SYNC_TASK_STATE_TYPE,
  SYNC_TASK_TYPE,
  taskQuota,
} from "./policies";
