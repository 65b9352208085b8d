//go:build tools

// Package tools pins the Node.js and Python language hosts that `npm run cli:install` builds into .pulumi-cli/bin/.
// The Go module proxy reachable here refuses the hosts' own modules
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 and
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, every version: 403), so this builds the copies
// that sdk/v3 still carried before the hosts moved to modules of their own (v3.68.0, May 2023, the last served sdk
// with them). The Python host runs the pulumi-language-python-exec script from the same module's python/cmd/, which
// cli:install copies beside it. The replace line is sdk v3.68.0's own.
package tools

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
	_ "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
)
