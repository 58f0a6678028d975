package scenarios_test

import (
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
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

// Monotonicity in staff and start-up delay holds in expectation, not run
// by run: sim/crn_test.go tests it as paired differences with intervals.
