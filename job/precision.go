package job

import (
	"context"
	"fmt"
	"math"
)

// DefaultMaxRuns caps the runs a precision target may use when the job
// sets no cap.
const DefaultMaxRuns = 10_000_000

// precision runs batches of consecutive run indices until the 95% interval
// of interest is narrower than target, or maxRuns is reached. Because runs
// are indexed, the result equals a single run of the final count: the
// reported count reproduces it.
type precision struct {
	target  float64 // interval width wanted; 0 means run `initial` runs once
	maxRuns int64
}

// run calls batch(first, n) for consecutive ranges starting at 0 and
// returns the total number of runs. width reports the current interval
// width after the runs so far.
func (p precision) run(ctx context.Context, initial int64, batch func(first, n int64) error, width func() float64) (int64, error) {
	if p.target > 0 {
		initial = min(initial, p.maxRuns)
	}
	if err := batch(0, initial); err != nil {
		return 0, err
	}
	done := initial
	if p.target <= 0 {
		return done, nil
	}
	for {
		w := width()
		if w < p.target || done >= p.maxRuns {
			return done, nil
		}
		if err := ctx.Err(); err != nil {
			return done, err
		}
		// Interval widths shrink as 1/sqrt(n): aim 5% past the estimate,
		// grow by at least a quarter so that noise in the estimate cannot
		// stall the loop, and at most fourfold so that a width estimated
		// from a handful of runs cannot send it far past the need.
		need := int64(math.Ceil(float64(done) * (w / p.target) * (w / p.target) * 1.05))
		next := min(max(need-done, done/4, 1), 3*done)
		next = min(next, p.maxRuns-done)
		if err := batch(done, next); err != nil {
			return done, err
		}
		done += next
	}
}

// checkPrecision checks a precision target and its cap.
func checkPrecision(width float64, maxRuns int64) error {
	if width < 0 || width > 1 || math.IsNaN(width) {
		return invalidf("--ci-width must be between 0 and 1 (a width of the 95%% interval in probability, e.g. 0.01), got %g", width)
	}
	if maxRuns < 1 {
		return invalidf("--max-runs must be positive, got %d", maxRuns)
	}
	return nil
}

// Precision says what a precision target did.
type Precision struct {
	Target  float64 // the width wanted; 0 without a target
	Initial int64   // the runs it started from
	Runs    int64   // the runs used
	Width   float64 // the widest headline interval at the end
}

// Note says in a sentence what the precision target did, or "" without
// one.
func (p Precision) Note() string {
	switch {
	case p.Target <= 0:
		return ""
	case p.Width >= p.Target:
		return fmt.Sprintf("Stopped at the --max-runs cap: %d runs gave a 95%% interval %.4f wide (wanted %.4f).", p.Runs, p.Width, p.Target)
	case p.Runs <= p.Initial:
		return fmt.Sprintf("The first %d runs already bring the 95%% interval below %.4f (%.4f); no runs were added.", p.Runs, p.Target, p.Width)
	}
	return fmt.Sprintf("Ran %d runs to bring the 95%% interval below %.4f (now %.4f).", p.Runs, p.Target, p.Width)
}
