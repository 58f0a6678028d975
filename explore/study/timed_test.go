package study

import (
	"context"
	"math"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// A strategy whose missions change staff costs what the summary says: its
// staff-months at the staff in force, not its acting months at its first
// staff.
func TestTimedStrategyCost(t *testing.T) {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	var ovs []scenarios.Override
	for _, s := range []string{"intervention.unowa.staff_from.10=12", "intervention.unowa.staff_from.20=1", "intervention.unowa.end_month=30"} {
		o, err := scenarios.ParseSetting(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := f.Scenario(ovs...)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := sim.Compare(context.Background(), []*sim.Scenario{sc}, sim.Options{Seed: 3, Runs: 400, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := outcome(sc, cmp.Results[0], cmp.Paired[0], sim.Headline{Name: sim.AnyCountry}).Cost
	want := sim.Summarize(sc, cmp.Results[0], 3).Cost.Mean
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("cost %v, the summary says %v", got, want)
	}
}
