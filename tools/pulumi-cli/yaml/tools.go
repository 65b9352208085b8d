//go:build tools

// Package tools pins the YAML language host that `npm run cli:install` builds into .pulumi-cli/bin/. It is a module
// of its own because pulumi-yaml v1.25.0 compiles only against the pkg/sdk it was released with (v3.206.0), not
// against the CLI's v3.276.0 (pkg/v3 changed plugin.NewContextWithRoot and schema.NewPluginLoader).
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
