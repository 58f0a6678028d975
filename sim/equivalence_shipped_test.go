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

// RunMany gives every scenario exactly what Run gives it alone, whatever
// the mix: sweep points of one scenario (shared draws), points that change
// a shock process (other draws), and scenarios of other shapes.
func TestRunManyEqualsSeparateRuns(t *testing.T) {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	var scs []*sim.Scenario
	for _, set := range []string{
		"intervention.unowa.staff=0", "intervention.unowa.staff=40",
		"horizon_months=24", "country.guinea.volatility=0",
		"intervention.unowa.startup_delay_months=5",
	} {
		o, err := scenarios.ParseOverride(set)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.Scenario(o)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	for name, vs := range shippedVariants(t) {
		if name != "guinea-2009" {
			scs = append(scs, vs[0])
		}
	}
	var last int64
	opt := sim.Options{Seed: 3, FirstRun: 17, Runs: 1500, Workers: 2}
	opt.Progress = func(d int64) { last = max(last, d) }
	got, err := sim.RunMany(context.Background(), scs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if want := opt.Runs * int64(len(scs)); last != want {
		t.Errorf("progress ended at %d runs, want %d", last, want)
	}
	opt.Progress = nil
	for k, sc := range scs {
		want, err := sim.Run(context.Background(), sc, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[k], want) {
			t.Errorf("scenario %d (%s): RunMany differs from Run", k, sc.Name)
		}
	}
	opt.Records = func([]sim.CountryRecord) error { return nil }
	if _, err := sim.RunMany(context.Background(), scs, opt); err == nil {
		t.Error("RunMany with Records: no error")
	}
}
