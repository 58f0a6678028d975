package main

import (
	"context"
	"math"
	"testing"
)

// precision.run on an interval whose width is 1/sqrt(n), estimated three
// times too wide from fewer than 100 runs (as a noisy estimate from a
// handful of runs can be): it stops at the first batch narrower than the
// target, not far past the runs needed, never beyond the cap, and a cap
// below the initial runs caps them too.
func TestPrecisionRun(t *testing.T) {
	const c = 1.0
	for i, test := range []struct {
		initial, maxRuns int64
		target           float64
		wantMin, wantMax int64 // bounds on the runs used
	}{
		{initial: 10000, maxRuns: 1e7, target: 0, wantMin: 10000, wantMax: 10000},
		{initial: 10000, maxRuns: 1e7, target: 0.02, wantMin: 10000, wantMax: 10000},
		{initial: 1000, maxRuns: 1e7, target: 0.01, wantMin: 10000, wantMax: 12000},
		// From a handful of runs: growth is capped, so no overshoot.
		{initial: 5, maxRuns: 1e7, target: 0.01, wantMin: 10000, wantMax: 13000},
		{initial: 1000, maxRuns: 5000, target: 0.001, wantMin: 5000, wantMax: 5000},
		{initial: 10000, maxRuns: 3000, target: 0.001, wantMin: 3000, wantMax: 3000},
	} {
		var done int64
		batch := func(first, n int64) error {
			if first != done || n <= 0 {
				t.Fatalf("%d: batch(%d, %d) after %d runs", i, first, n, done)
			}
			done += n
			return nil
		}
		width := func() float64 {
			w := c / math.Sqrt(float64(done))
			if done < 100 {
				w *= 3
			}
			return w
		}
		got, err := precision{test.target, test.maxRuns}.run(context.Background(), test.initial, batch, width)
		if err != nil || got != done || got < test.wantMin || got > test.wantMax {
			t.Errorf("%d: ran %d (reported %d, %v), want %d..%d", i, done, got, err, test.wantMin, test.wantMax)
		}
	}
}
