// `pulumi-oms-sync/policy`: policies that stop OMS mistakes at `pulumi preview`. Needs `@pulumi/policy` (an
// optional peer dependency) only for its types; a program that uses just the resources never loads this module.
export * from "./policies";
