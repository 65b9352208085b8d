import * as pulumi from "@pulumi/pulumi";

// Which Node.js runs each part of a Node.js program under the CLI: the program itself (started by the Node.js
// language host) and a dynamic resource's provider (started by pulumi-resource-pulumi-nodejs). Both take `node` from
// PATH, as the oms plugin's launcher does. (The program directory has no @types/node.)
declare const process: { version: string };

const provider: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "runtime", outs: { node: process.version } };
  },
};

class Probe extends pulumi.dynamic.Resource {
  declare readonly node: pulumi.Output<string>;
  constructor(name: string) {
    super(provider, name, { node: undefined });
  }
}

export const programNode = process.version;
export const providerNode = new Probe("probe").node;
