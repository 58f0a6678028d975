package sim

import (
	"context"
	"testing"
)

// quiet returns a one-country tension scenario with every random and
// external component off, so its path has a closed form.
func quiet(x0, pressure, reversion float64, horizon int) *Scenario {
	return &Scenario{
		Name: "quiet", Title: "Quiet", Horizon: horizon, Runs: 100, Seed: 1,
		Model: Model{
			Dynamics:            Tension,
			EscalationThreshold: 0.4, WarThreshold: 0.75, Hysteresis: 0.05,
			DetectionLag: 2, RuleOfLawDecay: 0.02, MonthsPerStep: 1,
		},
		Countries: []Country{{
			ID: "a", Name: "A", InitialTension: x0,
			StructuralPressure: pressure, Reversion: reversion,
		}},
	}
}

func markovScenario(p [NumStages][NumStages]float64, initial Stage, horizon, perStep int) *Scenario {
	return &Scenario{
		Name: "chain", Title: "Chain", Horizon: horizon, Runs: 100, Seed: 1,
		Model: Model{
			Dynamics: Markov, MonthsPerStep: perStep, Transitions: p,
			DetectionLag: 2, RuleOfLawDecay: 0.02,
		},
		Countries: []Country{{ID: "a", Name: "A", InitialStage: initial}},
	}
}

func mission(id string, k Kind, staff float64) Intervention {
	return Intervention{
		ID: id, Name: id, Kind: k, Countries: []int{0},
		Staff: staff, StaffScale: 10, Expertise: 1, Consent: 1,
		CostPerStaffMonth: 1000, Effect: DefaultEffect(k, Tension),
	}
}

func mustRun(t testing.TB, sc *Scenario, runs int64, seed uint64, workers int) *Result {
	t.Helper()
	r, err := Run(context.Background(), sc, Options{Runs: runs, Seed: seed, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// firstWar returns the first month at war in a deterministic result, or -1.
func firstWar(r *Result, c int) int {
	for m, k := range r.Countries[c].FirstWar {
		if k > 0 {
			return m
		}
	}
	return -1
}

// path runs one run of sc and returns every country's tension and stage by
// month, and the intervention aggregates of that run.
func path(t testing.TB, sc *Scenario, seed uint64) (x [][]float64, st [][]Stage, r *Result) {
	t.Helper()
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newRunState(compile(sc))
	x = make([][]float64, sc.Horizon+1)
	st = make([][]Stage, sc.Horizon+1)
	s.onMonth = func(m int) {
		x[m] = append([]float64(nil), s.x...)
		st[m] = append([]Stage(nil), s.stage...)
	}
	r = NewResult(sc)
	s.run(seed, 0, r)
	return x, st, r
}
