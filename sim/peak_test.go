package sim

import (
	"context"
	"math"
	"slices"
	"testing"
)

// Peak-tension statistics come from a histogram of bins of 0.01, clamped to
// the exact lowest and highest peak (issue 12, item 16): when every run has
// the same peak they are exact (the report's case: p90 0.994 where every
// peak is 1), and otherwise within a bin of the exact statistics of the
// runs' recorded peaks.
func TestPeakTensionStatistics(t *testing.T) {
	deterministic := quiet(0.2, 0.9, 0.1, 36)
	x, _, _ := path(t, deterministic, 1)
	peak := 0.0
	for _, xm := range x {
		peak = max(peak, xm[0])
	}
	for i, test := range []struct {
		sc    *Scenario
		exact float64 // every run's peak, or NaN if they differ
	}{
		{quiet(0, 1, 1, 5), 1},
		{deterministic, peak},
		{guineaLike(), math.NaN()},
	} {
		const runs = 4000
		var peaks []float64
		r, err := Run(context.Background(), test.sc, Options{Seed: 9, Runs: runs, Workers: 2,
			Records: func(recs []CountryRecord) error {
				for _, rec := range recs {
					peaks = append(peaks, rec.PeakTension)
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(peaks)
		cr := &r.Countries[0]
		if lo, hi := cr.PeakTensionRange[0], cr.PeakTensionRange[1]; lo != peaks[0] || hi != peaks[len(peaks)-1] {
			t.Errorf("%d: peak range [%v, %v], want the exact [%v, %v]", i, lo, hi, peaks[0], peaks[len(peaks)-1])
		}
		pk := Summarize(test.sc, r, 9).Countries[0].PeakTension
		if !math.IsNaN(test.exact) {
			if pk.Mean != test.exact || pk.P50 != test.exact || pk.P90 != test.exact {
				t.Errorf("%d: peak mean %v, p50 %v, p90 %v; every run's peak is %v", i, pk.Mean, pk.P50, pk.P90, test.exact)
			}
			continue
		}
		mean := 0.0
		for _, p := range peaks {
			mean += p / runs
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"mean", pk.Mean, mean},
			{"p50", pk.P50, peaks[runs/2-1]},
			{"p90", pk.P90, peaks[runs*9/10-1]},
		} {
			if math.Abs(c.got-c.want) > 0.01 {
				t.Errorf("%d: peak %s %v, exact %v: more than a bin apart", i, c.name, c.got, c.want)
			}
		}
	}
}

// The peak range merges as the runs do: shards give the whole's range, and
// empty aggregates hold the empty range [1, 0].
func TestPeakTensionRangeMerges(t *testing.T) {
	sc := guineaLike()
	whole := mustRun(t, sc, 3000, 4, 1)
	a, err := Run(context.Background(), sc, Options{Seed: 4, Runs: 1000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), sc, Options{Seed: 4, FirstRun: 1000, Runs: 2000, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	empty := NewResult(sc)
	if got := empty.Countries[0].PeakTensionRange; !slices.Equal(got, []float64{1, 0}) {
		t.Errorf("empty range %v, want [1 0]", got)
	}
	for _, o := range []*Result{a, b} {
		if err := empty.Merge(o); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := empty.Countries[0].PeakTensionRange, whole.Countries[0].PeakTensionRange; !slices.Equal(got, want) {
		t.Errorf("merged range %v, whole run's %v", got, want)
	}
	m := markovScenario(ucdp, Latent, 12, 1)
	if r := NewResult(m); r.Countries[0].PeakTensionRange != nil {
		t.Errorf("markov result has a peak range %v", r.Countries[0].PeakTensionRange)
	}
}
