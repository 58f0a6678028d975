// Command escalate runs conflict-escalation scenarios many times and
// reports the distribution of outcomes. Run `escalate help` for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	var got os.Signal
	go func() {
		got = <-signals
		cancel()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(signals)
	if msg := message(err); msg != "" {
		fmt.Fprintln(os.Stderr, "escalate:", msg)
	}
	code := exitCode(err)
	if errors.Is(err, errInterrupted) && got == syscall.SIGTERM {
		code = 143 // 128 + SIGTERM, as shells report it
	}
	os.Exit(code)
}
