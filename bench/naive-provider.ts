// The baseline: a dynamic provider written the way the Pulumi docs' first dynamic-provider example is, as a user
// would write it without this package. axios at module scope, credentials read with pulumi.Config in the program
// and passed as plain inputs, token authentication, no wait, no read, no diff. Kept only to be measured.
import * as pulumi from "@pulumi/pulumi";
import axios from "axios";

interface NaiveInputs {
  endpoint: string;
  projectId: string;
  syncTaskId: string;
  state: string;
  token: string;
  srcAk: string;
  srcSk: string;
  dstAk: string;
  dstSk: string;
}

const naiveProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: NaiveInputs) {
    await setState(inputs);
    return { id: inputs.syncTaskId, outs: inputs };
  },
  async update(_id: string, _olds: NaiveInputs, news: NaiveInputs) {
    await setState(news);
    return { outs: news };
  },
};

async function setState(inputs: NaiveInputs): Promise<void> {
  const url = `${inputs.endpoint}/v2/${inputs.projectId}/sync-tasks/${inputs.syncTaskId}`;
  const headers = { "X-Auth-Token": inputs.token };
  if (inputs.state === "started") {
    const body = { src_ak: inputs.srcAk, src_sk: inputs.srcSk, dst_ak: inputs.dstAk, dst_sk: inputs.dstSk };
    await axios.post(`${url}/start`, body, { headers });
  } else {
    await axios.post(`${url}/stop`, undefined, { headers });
  }
}

export class NaiveSyncTaskState extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs) {
    super(naiveProvider, name, props, undefined, "naive", "NaiveSyncTaskState");
  }
}
