//go:build tools

// Package tools pins what `npm run cli:install` builds from pkg/sdk v3.66.0 into .pulumi-cli/bin/:
//
//   - sdkgen/pulumi, a CLI for `pulumi package gen-sdk` only. From v3.67.0 on, the CLI hands gen-sdk for go, nodejs
//     and python to each language's host (GeneratePackage); the hosts that implement it live in modules of their own
//     that the Go module proxy reachable here refuses (403, every version). v3.66.0 is the last CLI that generates
//     the dotnet, go, nodejs and python SDKs itself, with the codegen of its own pkg module.
//   - pulumi-language-go, the Go host, for `pulumi up` of a Go program under the pinned CLI. sdk v3.66.0 is the last
//     sdk that still carried it before it moved to github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go"
)
