// Command escalate runs conflict-escalation scenarios many times and
// reports the distribution of outcomes. Run `escalate help` for usage.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "escalate:", msg)
		}
	}
	os.Exit(exitCode(err))
}
