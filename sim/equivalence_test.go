package sim

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
)

// sameAsReference runs variants through Compare (with the given workers,
// recording every run) and through the frozen reference engine, and fails
// on any difference in aggregates, paired statistics or records.
func sameAsReference(t *testing.T, name string, variants []*Scenario, seed uint64, first, runs int64, workers int) {
	t.Helper()
	want, wantRecs := refCompare(variants, seed, first, runs, true)
	var got []CountryRecord
	cmp, err := Compare(context.Background(), variants, Options{
		Seed: seed, FirstRun: first, Runs: runs, Workers: workers,
		Records: func(r []CountryRecord) error { got = append(got, r...); return nil },
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for v := range variants {
		if !reflect.DeepEqual(cmp.Results[v], want.Results[v]) {
			t.Errorf("%s: variant %d: aggregates differ from the reference engine\n%s", name, v, firstDiff(cmp.Results[v], want.Results[v]))
		}
		if !reflect.DeepEqual(cmp.Paired[v], want.Paired[v]) {
			t.Errorf("%s: variant %d: paired statistics differ: got %+v, want %+v", name, v, cmp.Paired[v], want.Paired[v])
		}
	}
	if len(got) != len(wantRecs) {
		t.Fatalf("%s: %d records, want %d", name, len(got), len(wantRecs))
	}
	for i := range got {
		if got[i] != wantRecs[i] {
			t.Fatalf("%s: record %d: got %+v, want %+v", name, i, got[i], wantRecs[i])
		}
	}
}

// firstDiff names the first aggregate in which a and b differ.
func firstDiff(a, b *Result) string {
	if a.Runs != b.Runs {
		return "runs"
	}
	if !reflect.DeepEqual(a.AnyWar, b.AnyWar) {
		return "any-war outcome"
	}
	for c := range a.Countries {
		x, y := a.Countries[c], b.Countries[c]
		switch {
		case !reflect.DeepEqual(x.Outcome, y.Outcome):
			return "country outcome"
		case !reflect.DeepEqual(x.Occupancy, y.Occupancy):
			return "occupancy"
		case !reflect.DeepEqual(x.Tension, y.Tension):
			return "tension histogram"
		case !reflect.DeepEqual(x.TensionMin, y.TensionMin) || !reflect.DeepEqual(x.TensionMax, y.TensionMax):
			return "tension extremes"
		case !reflect.DeepEqual(x, y):
			return "final stage or peak tension"
		}
	}
	for i := range a.Interventions {
		if !reflect.DeepEqual(a.Interventions[i], b.Interventions[i]) {
			return "intervention aggregates"
		}
	}
	return "(no field found)"
}

// randomScenario draws a valid scenario that exercises every engine rule:
// tension or markov dynamics, several countries with spillover, shocks of
// both size distributions, events, and missions of every kind, scheduled
// or triggered, single-country or regional, with partial consent, zero
// staff, start-up delays, durations and starts beyond the horizon.
func randomScenario(r *rand.Rand) *Scenario {
	markov := r.IntN(4) == 0
	nc := 1 + r.IntN(4)
	h := 1 + r.IntN(48)
	sc := &Scenario{
		Name: "random", Title: "Random", Horizon: h, Runs: 100, Seed: 1,
		Model: Model{
			Dynamics:            Tension,
			EscalationThreshold: 0.3 + 0.2*r.Float64(), WarThreshold: 0.6 + 0.3*r.Float64(),
			Hysteresis: 0.1 * r.Float64(), DetectionLag: r.IntN(4),
			RuleOfLawDecay: 0.1 * r.Float64(), MonthsPerStep: 1,
		},
	}
	if markov {
		sc.Model.Dynamics = Markov
		per := []int{1, 2, 3, 4, 6, 12}[r.IntN(6)]
		sc.Model.MonthsPerStep = per
		sc.Horizon = per * (1 + r.IntN(max(48/per, 1)))
		for from := range NumStages {
			a, b := r.Float64(), r.Float64()
			if a > b {
				a, b = b, a
			}
			sc.Model.Transitions[from] = [NumStages]float64{a, b - a, 1 - b}
		}
	}
	ids := []string{"a", "b", "c", "d"}
	for c := range nc {
		ct := Country{
			ID: ids[c], Name: ids[c], InitialStage: Stage(r.IntN(NumStages)),
			InitialTension:     r.Float64(),
			StructuralPressure: r.Float64(), Reversion: 0.3 * r.Float64(),
			Momentum: [NumStages]float64{0.02 * (r.Float64() - 0.5), 0.04 * r.Float64(), 0.04 * (r.Float64() - 0.5)},
		}
		if r.IntN(3) > 0 {
			ct.Volatility = 0.1 * r.Float64()
		}
		if !markov {
			for k := range r.IntN(3) {
				ct.Shocks = append(ct.Shocks, Shock{
					Name: ids[k], RatePerYear: 12 * r.Float64() * float64(r.IntN(3)),
					MeanSize: 0.2 * r.Float64(), Distribution: SizeDist(r.IntN(2)),
				})
			}
			for k := range r.IntN(3) {
				ct.Events = append(ct.Events, Event{Name: ids[k], Month: 1 + r.IntN(sc.Horizon), Size: 0.6 * (r.Float64() - 0.4)})
			}
			for o := range nc {
				if o != c && r.IntN(2) == 0 {
					ct.Spillover = append(ct.Spillover, Spillover{From: o, Weight: 0.05 * r.Float64()})
				}
			}
		}
		sc.Countries = append(sc.Countries, ct)
	}
	for i := range r.IntN(5) {
		k := Kind(r.IntN(NumKinds))
		iv := Intervention{
			ID: "m" + ids[i], Name: "M", Kind: k,
			Staff: []float64{0, 1, 5, 20, 100}[r.IntN(5)], StaffScale: 1 + 20*r.Float64(),
			Expertise: r.Float64(), Consent: []float64{0, 0.5, 1}[r.IntN(3)],
			CostPerStaffMonth: 1000 * r.Float64(),
			Effect:            DefaultEffect(k, sc.Model.Dynamics),
			StartMonth:        r.IntN(sc.Horizon + 3), StartupDelay: r.IntN(4),
		}
		if r.IntN(3) == 0 {
			iv.Duration = 1 + r.IntN(12)
		}
		if r.IntN(2) == 0 {
			iv.Triggered, iv.Trigger = true, Stage(1+r.IntN(2))
		}
		perm := r.Perm(nc)
		iv.Countries = perm[:1+r.IntN(nc)]
		sc.Interventions = append(sc.Interventions, iv)
	}
	return sc
}

// The engine gives exactly the reference engine's aggregates, paired
// statistics and records on random scenarios, alone and as variants of a
// comparison, for one worker and several, from run 0 and from a shard's
// first run.
func TestEngineMatchesReferenceOnRandomScenarios(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2026))
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := range n {
		sc := randomScenario(r)
		if err := sc.Validate(); err != nil {
			t.Fatalf("scenario %d: %v", i, err)
		}
		variants := []*Scenario{sc}
		// Variants: the same model with other missions' parameters, as a
		// sweep or a comparison of strategies makes them.
		for range r.IntN(4) {
			v := *sc
			v.Interventions = append([]Intervention(nil), sc.Interventions...)
			for j := range v.Interventions {
				if r.IntN(2) == 0 {
					v.Interventions[j].Staff = []float64{0, 2, 10, 50}[r.IntN(4)]
					v.Interventions[j].StartupDelay = r.IntN(5)
				}
			}
			// Parameters of the draws themselves: a volatility that scales
			// the same normal draws (or none), and a shock rate, which
			// changes the draws and so the draw group.
			v.Countries = append([]Country(nil), sc.Countries...)
			if c := r.IntN(len(v.Countries)); r.IntN(3) == 0 {
				v.Countries[c].Volatility = []float64{0, 0.02, 0.08}[r.IntN(3)]
			}
			if c := r.IntN(len(v.Countries)); r.IntN(4) == 0 && len(v.Countries[c].Shocks) > 0 {
				v.Countries[c].Shocks = append([]Shock(nil), v.Countries[c].Shocks...)
				v.Countries[c].Shocks[0].RatePerYear = 24 * r.Float64()
			}
			if len(v.Interventions) > 0 && r.IntN(3) == 0 {
				v.Interventions = v.Interventions[:len(v.Interventions)-1]
			}
			variants = append(variants, &v)
		}
		first := int64(r.IntN(2000))
		sameAsReference(t, "random", variants, r.Uint64(), first, 40+int64(r.IntN(600)), 1+r.IntN(3))
		if t.Failed() {
			t.Fatalf("scenario %d differs: %+v", i, sc)
		}
	}
}
