package sim_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// shippedVariants returns every shipped scenario with its strategies as
// the variants of a comparison (the scenario as written first).
func shippedVariants(t testing.TB) map[string][]*sim.Scenario {
	t.Helper()
	infos, err := scenarios.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]*sim.Scenario)
	for _, info := range infos {
		f, err := scenarios.Open(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		vs := []*sim.Scenario{sc}
		for _, st := range f.Strategies {
			v, err := f.Strategy(st.ID)
			if err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		out[info.Name] = vs
	}
	return out
}

// On every shipped scenario and its strategies the engine gives exactly
// the frozen reference engine's aggregates, paired statistics and records.
func TestEngineMatchesReferenceOnShippedScenarios(t *testing.T) {
	runs := int64(3000)
	if testing.Short() {
		runs = 500
	}
	for name, vs := range shippedVariants(t) {
		want, wantRecs := sim.RefCompare(vs, vs[0].Seed, 100, runs, true)
		var got []sim.CountryRecord
		cmp, err := sim.Compare(context.Background(), vs, sim.Options{
			Seed: vs[0].Seed, FirstRun: 100, Runs: runs, Workers: 2,
			Records: func(r []sim.CountryRecord) error { got = append(got, r...); return nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cmp, want) {
			t.Errorf("%s: aggregates or paired statistics differ from the reference engine", name)
		}
		if !reflect.DeepEqual(got, wantRecs) {
			t.Errorf("%s: records differ from the reference engine", name)
		}
		// Each strategy alone, as run does it.
		for v, sc := range vs {
			r, err := sim.Run(context.Background(), sc, sim.Options{Seed: 5, Runs: runs / 3, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			w, _ := sim.RefCompare([]*sim.Scenario{sc}, 5, 0, runs/3, false)
			if !reflect.DeepEqual(r, w.Results[0]) {
				t.Errorf("%s: variant %d alone differs from the reference engine", name, v)
			}
		}
	}
}
