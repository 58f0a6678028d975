// Command escalate runs conflict-escalation scenarios many times and
// reports the distribution of outcomes. Run `escalate help` for usage.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	var got atomic.Value
	go func() {
		sig := <-signals
		got.Store(sig)
		cancel()
		// Every phase stops on the context, but a chart being rasterised
		// (or a machine under load) may take longer: the user is not kept
		// waiting. Hidden partial directories left by an exit here are
		// removed by the next run into the same place.
		time.Sleep(time.Second)
		fmt.Fprintln(os.Stderr, "escalate:", errInterrupted)
		os.Exit(interruptCode(sig))
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(signals)
	if msg := message(err); msg != "" {
		fmt.Fprintln(os.Stderr, "escalate:", msg)
	}
	code := exitCode(err)
	if sig, ok := got.Load().(os.Signal); ok && errors.Is(err, errInterrupted) {
		code = interruptCode(sig)
	}
	os.Exit(code)
}

// interruptCode is the exit status after sig, as shells report it: 128 +
// the signal's number.
func interruptCode(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return 143
	}
	return 130
}
