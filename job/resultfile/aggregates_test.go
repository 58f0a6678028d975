package resultfile_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// CheckCounts refuses aggregates whose counts contradict each other.
func TestCheckCounts(t *testing.T) {
	f, err := scenarios.Open("central-asia")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), sc, sim.Options{Runs: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(res)
	fresh := func() *sim.Result {
		var r sim.Result
		if err := json.Unmarshal(good, &r); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	if err := resultfile.CheckCounts(fresh()); err != nil {
		t.Fatalf("untouched aggregates: %v", err)
	}
	for name, tamper := range map[string]func(r *sim.Result){
		"negative bin": func(r *sim.Result) {
			h := r.Countries[0].WarMonths // the same sum, one bin below zero
			h[0] += h[1] + 1
			h[1] = -1
		},
		"wrapping bins": func(r *sim.Result) {
			h := r.Countries[0].Onsets
			h[1] += 1 << 62
			h[2] += 1 << 62
			h[3] += 1 << 62
			h[4] += 1 << 62
		},
		"ever war vs first months": func(r *sim.Result) { r.Countries[1].EverWar++ },
		"any war below a country":  func(r *sim.Result) { r.AnyWar = r.Countries[4].Outcome },
		"final stage vs last month": func(r *sim.Result) {
			r.Countries[0].FinalStage[sim.Latent]--
			r.Countries[0].FinalStage[sim.War]++
		},
		"staff shares vs months": func(r *sim.Result) { r.Interventions[0].StaffShare[0]++ },
		"consent above runs":     func(r *sim.Result) { r.Interventions[0].Consented = r.Runs + 1 },
	} {
		r := fresh()
		tamper(r)
		if err := resultfile.CheckCounts(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
