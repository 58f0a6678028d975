package job

import (
	"context"
	"math"
	"strings"
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
		// Exactly as wide as the target is not narrower than it.
		{initial: 10000, maxRuns: 1e7, target: 0.01, wantMin: 10001, wantMax: 12500},
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

func TestPrecisionNote(t *testing.T) {
	for i, test := range []struct {
		target, width float64
		runs, initial int64
		want          string
	}{
		{0, 0.1, 100, 100, ""},
		{0.01, 0.012, 5000, 1000, "Stopped at the --max-runs cap: 5000 runs gave a 95% interval 0.0120 wide (wanted 0.0100)."},
		// As wide as wanted, not narrower: the cap stopped it.
		{0.01, 0.01, 5000, 1000, "Stopped at the --max-runs cap"},
		{0.01, 0.008, 1000, 1000, "The first 1000 runs already bring the 95% interval below 0.0100 (0.0080); no runs were added."},
		{0.01, 0.009, 3000, 1000, "Ran 3000 runs to bring the 95% interval below 0.0100 (now 0.0090)."},
	} {
		got := Precision{Target: test.target, Initial: test.initial, Runs: test.runs, Width: test.width}.Note()
		if test.want == "" && got != "" || !strings.HasPrefix(got, test.want) {
			t.Errorf("%d: precisionNote = %q, want %q", i, got, test.want)
		}
	}
}
