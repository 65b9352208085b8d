//go:build tools

// Package tools pins the Pulumi CLI that `npm run cli:install` (tools/cli-install.mjs) builds into .pulumi-cli/bin/.
// The language hosts are pinned by the modules in yaml/ and nodejs/ beside this file: see their tools.go.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
