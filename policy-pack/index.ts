// A ready-to-run policy pack: `pulumi preview --policy-pack <this folder>`. A team's own pack can take the same
// policies with `new PolicyPack("my-pack", { policies: [...omsPolicies, ...theirs] })`.
import { PolicyPack } from "@pulumi/policy";
import { omsPolicies } from "pulumi-oms-sync/policy";

new PolicyPack("oms-sync", { policies: omsPolicies });
