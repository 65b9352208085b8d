// A Go program on the SDK that `pulumi package gen-sdk --language go` generates from schema.json: one SyncTask, its
// state from the stack config `state` (default "started"), and a SyncTaskState that keeps a second, existing task
// (config `mirrorTaskId`, when set) paused. tests/cli/sdks.cli.ts places the generated SDK in ./sdk.
package main

import (
	"github.com/pulumi-oms-sync/pulumi-oms-sync/sdk/go/oms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		state := cfg.Get("state")
		if state == "" {
			state = "started"
		}
		logs, err := oms.NewSyncTask(ctx, "logs", &oms.SyncTaskArgs{
			SrcCloudType: pulumi.String("AWS"),
			SrcRegion:    pulumi.String("us-east-1"),
			SrcBucket:    pulumi.String("go-src"),
			DstRegion:    pulumi.String("cn-north-4"),
			DstBucket:    pulumi.String("go-dst"),
			State:        pulumi.String(state),
		})
		if err != nil {
			return err
		}
		if mirror := cfg.Get("mirrorTaskId"); mirror != "" {
			if _, err := oms.NewSyncTaskStateResource(ctx, "mirror", &oms.SyncTaskStateResourceArgs{
				SyncTaskId: pulumi.String(mirror),
				State:      pulumi.String("paused"),
			}); err != nil {
				return err
			}
		}
		ctx.Export("syncTaskId", logs.SyncTaskId)
		ctx.Export("status", logs.Status)
		return nil
	})
}
