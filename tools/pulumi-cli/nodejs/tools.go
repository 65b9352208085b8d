//go:build tools

// Package tools pins the Node.js language host that `npm run cli:install` builds into .pulumi-cli/bin/. The Go
// module proxy reachable here refuses the host's own module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, every version: 403), so this builds the copy
// that sdk/v3 still carried before the host moved to a module of its own (v3.68.0, May 2023, the last served sdk
// with it). The replace line is sdk v3.68.0's own.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
