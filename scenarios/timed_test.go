package scenarios

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// timedSource is workshop-intro with timed decisions in strategies,
// written in both forms a strategy's set table accepts.
func timedSource(t *testing.T) []byte {
	t.Helper()
	src, err := ShippedSource("workshop-intro")
	if err != nil {
		t.Fatal(err)
	}
	return append(src, []byte(`
[strategy.timed_paths]
set = { "intervention.mediators.trigger" = "none", "intervention.mediators.start_month" = 2, "intervention.mediators.staff_from.9" = 20, "intervention.mediators.staff_from.15" = 0, "intervention.monitors.end_month" = 14 }

[strategy.timed_tables]
set = { intervention = { mediators = { trigger = "none", start_month = 2, staff_from = { 15 = 0, 9 = 20 } }, monitors = { end_month = 14 } } }
`)...)
}

// A timed decision reaches the scenario the same way from a strategy (as
// key paths or as nested tables), from settings, from a file's own keys
// and from Go: one scenario, one fingerprint, one trace.
func TestTimedDecisionRoutes(t *testing.T) {
	f, err := Parse("timed.toml", timedSource(t))
	if err != nil {
		t.Fatal(err)
	}
	base, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	byGo := *base
	byGo.Interventions = slices.Clone(base.Interventions)
	for i := range byGo.Interventions {
		iv := &byGo.Interventions[i]
		switch iv.ID {
		case "mediators":
			iv.Triggered, iv.Trigger, iv.StartMonth = false, 0, 2
			iv.StaffFrom = []sim.StaffChange{{Month: 9, Staff: 20}, {Month: 15, Staff: 0}}
		case "monitors":
			iv.EndMonth = 14
		}
	}
	var routes []*sim.Scenario
	for _, id := range []string{"timed_paths", "timed_tables"} {
		sc, err := f.Strategy(id)
		if err != nil {
			t.Fatal(err)
		}
		routes = append(routes, sc)
	}
	var ovs []Override
	for _, s := range []string{
		"intervention.mediators.trigger=none", "intervention.mediators.start_month=2",
		"intervention.mediators.staff_from.15=0", "intervention.mediators.staff_from.9=20",
		"intervention.monitors.end_month=14",
	} {
		o, err := ParseSetting(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := f.Scenario(ovs...)
	if err != nil {
		t.Fatal(err)
	}
	routes = append(routes, sc)
	// The canonical text writes them as the file's own keys.
	canon, err := Parse("canonical.toml", Canonical(&byGo))
	if err != nil {
		t.Fatalf("%v\n%s", err, Canonical(&byGo))
	}
	if !strings.Contains(string(Canonical(&byGo)), "staff_from = { 9 = 20, 15 = 0 }\n") {
		t.Errorf("canonical text:\n%s", Canonical(&byGo))
	}
	sc, err = canon.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	sc.Name = byGo.Name
	routes = append(routes, sc)
	want, err := sim.Trace(&byGo, 11, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantRes, err := sim.Run(context.Background(), &byGo, sim.Options{Seed: 11, Runs: 300, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for k, sc := range routes {
		if !reflect.DeepEqual(sc, &byGo) {
			t.Errorf("route %d: scenario\n%+v\nwant\n%+v", k, sc.Interventions, byGo.Interventions)
		}
		if Fingerprint(sc) != Fingerprint(&byGo) {
			t.Errorf("route %d: another fingerprint", k)
		}
		got, err := sim.Trace(sc, 11, 3, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("route %d: another trace", k)
		}
		res, err := sim.Run(context.Background(), sc, sim.Options{Seed: 11, Runs: 300, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res, wantRes) {
			t.Errorf("route %d: other aggregates", k)
		}
	}
	if Fingerprint(base) == Fingerprint(&byGo) {
		t.Error("timed decisions kept the fingerprint")
	}
}

// A strategy's staff change adds to the file's schedule; one at a month
// the file names replaces it.
func TestStaffFromMergesWithFile(t *testing.T) {
	src := `horizon_months = 24
[country.a]
initial_tension = 0.3
structural_pressure = 0.4
[intervention.m]
kind = "mediation"
country = "a"
staff = 5
staff_from = { 12 = 8, 4 = 6 }
[strategy.more]
set = { "intervention.m.staff_from.8" = 10, "intervention.m.staff_from.12" = 1 }
[strategy.none]
set = { "intervention.m.staff_from" = {} }
`
	f, err := Parse("merge.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		strategy string
		want     []sim.StaffChange
	}{
		{"", []sim.StaffChange{{Month: 4, Staff: 6}, {Month: 12, Staff: 8}}},
		{"more", []sim.StaffChange{{Month: 4, Staff: 6}, {Month: 8, Staff: 10}, {Month: 12, Staff: 1}}},
		{"none", nil},
	} {
		sc, err := f.Scenario()
		if tc.strategy != "" {
			sc, err = f.Strategy(tc.strategy)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Interventions[0].StaffFrom; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: staff_from %v, want %v", tc.strategy, got, tc.want)
		}
	}
}

// Months after a horizon that an override shortened are changes that never
// happen, as events and starts there are.
func TestStaffFromAfterShortenedHorizon(t *testing.T) {
	src := `horizon_months = 24
[country.a]
initial_tension = 0.3
structural_pressure = 0.4
[intervention.m]
kind = "mediation"
country = "a"
staff = 5
end_month = 25
staff_from = { 20 = 8 }
`
	f, err := Parse("short.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseSetting("horizon_months=12")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario(o)
	if err != nil {
		t.Fatalf("a shortened horizon refuses the schedule: %v", err)
	}
	p, err := sim.Trace(sc, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for m, s := range p.Interventions[0].Staff[1:] {
		if s != 5 {
			t.Errorf("month %d: staff %v, want 5", m+1, s)
		}
	}
}
