package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// progress shows "run 4200 of 10000" on stderr while a long run works. It
// only draws on a terminal, and only once a run has taken longer than a
// moment, so pipes, logs and tests see nothing.
type progress struct {
	w     io.Writer
	unit  string
	done  atomic.Int64
	total atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

const progressDelay = 500 * time.Millisecond

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// startProgress returns a progress display, or nil when stderr is not a
// terminal. A nil *progress is valid and does nothing.
func startProgress(stderr io.Writer, unit string) *progress {
	if !isTerminal(stderr) {
		return nil
	}
	p := &progress{w: stderr, unit: unit, stop: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer p.wg.Done()
	start := time.Now()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	drawn := false
	for {
		select {
		case <-p.stop:
			if drawn {
				fmt.Fprint(p.w, "\r\033[K")
			}
			return
		case <-tick.C:
			el := time.Since(start)
			if el < progressDelay {
				continue
			}
			d, total := p.done.Load(), p.total.Load()
			if total <= 0 {
				continue
			}
			eta := ""
			if d > 0 {
				rem := time.Duration(float64(el) * float64(total-d) / float64(d))
				eta = fmt.Sprintf(", about %s left", rem.Round(time.Second))
			}
			fmt.Fprintf(p.w, "\r\033[K%3.0f%%  %d of %d %s%s (Ctrl-C stops)", 100*float64(d)/float64(total), d, total, p.unit, eta)
			drawn = true
		}
	}
}

// update records progress, done of total; safe for concurrent use.
func (p *progress) update(done, total int64) {
	if p == nil {
		return
	}
	p.total.Store(total)
	for {
		cur := p.done.Load()
		if done <= cur || p.done.CompareAndSwap(cur, done) {
			return
		}
	}
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
}
