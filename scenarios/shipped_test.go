package scenarios_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

func TestShippedScenariosLoad(t *testing.T) {
	infos, err := scenarios.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"central-asia", "estonia-1993", "global-baseline", "guinea-2009", "kyrgyzstan-2010", "workshop-intro"}
	if len(infos) != len(want) {
		t.Fatalf("shipped %v, want %v", infos, want)
	}
	for i, info := range infos {
		if info.Name != want[i] || info.Title == "" {
			t.Errorf("%d: %+v", i, info)
		}
		f, err := scenarios.Open(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, s := range f.Strategies {
			ids[s.ID] = true
		}
		for _, id := range []string{"none", "historical", "fast", "staff"} {
			if !ids[id] {
				t.Errorf("%s lacks strategy %q", info.Name, id)
			}
		}
	}
}

// pWar runs variant of guinea-2009 with the override and returns the
// number of runs at war.
func pWar(t *testing.T, f *scenarios.File, runs int64, set string) int64 {
	t.Helper()
	o, err := scenarios.ParseOverride(set)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Strategy("historical", o)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.Run(context.Background(), sc, sim.Options{Seed: sc.Seed, Runs: runs})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Countries) > 1 {
		return r.AnyWar.EverWar
	}
	return r.Countries[0].EverWar
}

// With common random numbers, more mediation staff never raises the
// number of runs at war, and a longer start-up delay never lowers it.
func TestMonotoneWithCommonRandomNumbers(t *testing.T) {
	const runs = 4000
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
		prev := int64(-1)
		for _, staff := range []int{0, 1, 2, 4, 8, 16, 32, 64} {
			k := pWar(t, f, runs, fmt.Sprintf("intervention.%s.staff=%d", mission, staff))
			if prev >= 0 && k > prev {
				t.Errorf("%s: %s staff %d: %d runs at war, more than %d with less staff", test.scenario, mission, staff, k, prev)
			}
			prev = k
		}
		prev = -1
		for _, delay := range []int{0, 1, 2, 3, 6, 12, 24} {
			k := pWar(t, f, runs, fmt.Sprintf("intervention.%s.startup_delay_months=%d", mission, delay))
			if prev >= 0 && k < prev {
				t.Errorf("%s: %s delay %d: %d runs at war, fewer than %d with a shorter delay", test.scenario, mission, delay, k, prev)
			}
			prev = k
		}
	}
}
