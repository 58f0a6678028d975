package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// variantOf returns a shipped scenario's historical strategy with an
// override.
func variantOf(t *testing.T, f *scenarios.File, set string) *sim.Scenario {
	t.Helper()
	o, err := scenarios.ParseOverride(set)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Strategy("historical", o)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// pairedWar compares b with a over the same runs (common random numbers)
// and returns the paired statistics of the headline unit: the country of
// a one-country scenario, else "any country".
func pairedWar(t *testing.T, a, b *sim.Scenario, runs int64, seed uint64) sim.Paired {
	t.Helper()
	cmp, err := sim.Compare(context.Background(), []*sim.Scenario{a, b}, sim.Options{Seed: seed, Runs: runs})
	if err != nil {
		t.Fatal(err)
	}
	u := len(a.Countries)
	if u == 1 {
		u = 0
	}
	return cmp.Paired[1][u]
}

// More staff is not better run by run, even with common random numbers:
// effects depend on the stage, so a run that more staff pushes just below
// the escalation threshold gets the weaker latent-stage effect and can
// reach war where the run with less staff did not (issue 12, item 13).
// The report's case: UNOWA staff 41 and 42 in guinea-2009, seed 1.
func TestMoreStaffCanAddAWarInARun(t *testing.T) {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	a := variantOf(t, f, "intervention.unowa.staff=41")
	b := variantOf(t, f, "intervention.unowa.staff=42")
	p := pairedWar(t, a, b, 10000, 1)
	if p.VariantOnly == 0 {
		t.Errorf("no run at war only with more staff (%+v): the stage-dependent effects should allow it", p)
	}
}

// What holds is monotonicity in expectation: more mediation staff lowers
// P(war) and a longer start-up delay raises it. Under common random numbers
// the whole range (no staff against 64, no delay against 24 months) has a
// paired difference whose 95% interval lies on the expected side of 0, and
// no single step has one whose interval at z = 4 lies on the wrong side: 52
// steps at 95% would see one by chance (ecowas delay 3 → 6 in guinea-2009
// does at seed 11 with 4,000 runs: -0.32 points, while 200,000 runs give
// +0.08), at z = 4 the family errs with probability about 0.002.
func TestMonotoneInExpectation(t *testing.T) {
	const runs, seed = 4000, 11
	for _, test := range []struct {
		scenario, mission string
	}{
		{"guinea-2009", "unowa"},
		{"guinea-2009", "ecowas"},
		{"workshop-intro", "mediators"},
		{"kyrgyzstan-2010", ""},
	} {
		f, err := scenarios.Open(test.scenario)
		if err != nil {
			t.Fatal(err)
		}
		mission := test.mission
		if mission == "" {
			sc, _ := f.Scenario()
			for _, iv := range sc.Interventions {
				if iv.Kind == sim.Mediation {
					mission = iv.ID
					break
				}
			}
		}
		for _, sweep := range []struct {
			key    string
			values []int
			sign   float64 // the sign of the expected change from one value to the next
		}{
			{"staff", []int{0, 1, 2, 4, 8, 16, 32, 64}, -1},
			{"startup_delay_months", []int{0, 1, 2, 3, 6, 12, 24}, +1},
		} {
			at := func(v int) *sim.Scenario {
				return variantOf(t, f, fmt.Sprintf("intervention.%s.%s=%d", mission, sweep.key, v))
			}
			name := fmt.Sprintf("%s: %s.%s", test.scenario, mission, sweep.key)
			for k := 1; k < len(sweep.values); k++ {
				a, b := sweep.values[k-1], sweep.values[k]
				p := pairedWar(t, at(a), at(b), runs, seed)
				d, _, _ := p.PairedDiff()
				lo, hi := agrestiMin(p, 4)
				if sweep.sign < 0 && lo > 0 || sweep.sign > 0 && hi < 0 {
					t.Errorf("%s %d → %d: P(war) changes by %+.4f (interval at z = 4: %+.4f to %+.4f), clearly the wrong way", name, a, b, d, lo, hi)
				}
			}
			first, last := sweep.values[0], sweep.values[len(sweep.values)-1]
			p := pairedWar(t, at(first), at(last), runs, seed)
			d, lo, hi := p.PairedDiff()
			if sweep.sign < 0 && hi >= 0 || sweep.sign > 0 && lo <= 0 {
				t.Errorf("%s %d → %d: P(war) changes by %+.4f (95%% interval %+.4f to %+.4f), not clearly the expected way", name, first, last, d, lo, hi)
			}
		}
	}
}

// agrestiMin is the interval of Paired.PairedDiff at another z.
func agrestiMin(p sim.Paired, z float64) (lo, hi float64) {
	n2 := float64(p.Runs) + 2
	pb, pc := (float64(p.VariantOnly)+0.5)/n2, (float64(p.BaseOnly)+0.5)/n2
	centre := pb - pc
	half := z * math.Sqrt(max(pb+pc-centre*centre, 0)/n2)
	return centre - half, centre + half
}
