//go:build tools

// Package tools pins the YAML language host that `npm run cli:install` builds into .pulumi-cli/bin/. It is a module
// of its own because pulumi-yaml v1.25.0 compiles only against the pkg/sdk it was released with (v3.206.0), not
// against the CLI's v3.276.0 (pkg/v3 changed plugin.NewContextWithRoot and schema.NewPluginLoader).
//
// The same pkg v3.206.0 gives the CLI for policy packs (.pulumi-cli/bin/policy/): it still runs a Node.js pack with
// the pulumi-analyzer-policy launcher, where later CLIs ask the Node.js language host (RunPlugin), which the only host
// the module proxy serves (sdk v3.68.0) does not have.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
