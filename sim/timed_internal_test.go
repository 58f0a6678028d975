package sim

import (
	"math/rand/v2"
	"testing"
)

// timedBenchScenarios are the benchmark cases with every mission resized
// twice and ended before the horizon.
func timedBenchScenarios() []*Scenario {
	var out []*Scenario
	for _, bc := range benchScenarios() {
		sc := *bc.sc
		sc.Interventions = append([]Intervention(nil), sc.Interventions...)
		for i := range sc.Interventions {
			iv := &sc.Interventions[i]
			iv.StaffFrom = []StaffChange{{Month: 5, Staff: 2 * iv.Staff}, {Month: 17, Staff: iv.Staff / 3}}
			iv.EndMonth = sc.Horizon - 3
		}
		out = append(out, &sc)
	}
	return out
}

// Staff schedules add no allocation per run, records included.
func TestTimedRunAllocatesNothing(t *testing.T) {
	for _, sc := range timedBenchScenarios() {
		if err := sc.Validate(); err != nil {
			t.Fatal(err)
		}
		s := newRunState(compile(sc))
		res := NewResult(sc)
		recs := make([]CountryRecord, 0, len(sc.Countries))
		run := int64(0)
		if a := testing.AllocsPerRun(200, func() {
			s.run(1, run, res)
			recs = s.appendRecords(recs[:0], 0, run)
			run++
		}); a != 0 {
			t.Errorf("%s: %g allocations per run", sc.Name, a)
		}
	}
}

// spanAt finds the span in force: the last that starts at or before
// the month.
func TestSpanAt(t *testing.T) {
	spans := newStaffSchedule(&Intervention{Staff: 4, StaffScale: 10, Expertise: 1,
		StaffFrom: []StaffChange{{Month: 3, Staff: 8}, {Month: 5, Staff: 8}, {Month: 9, Staff: 4}, {Month: 12, Staff: 0}}})
	// The change at 5 keeps 8 staff: no span of its own.
	wantFrom := []int{0, 3, 9, 12}
	wantUnits := []int64{ShareUnit / 2, ShareUnit, ShareUnit / 2, 0}
	if len(spans) != len(wantFrom) {
		t.Fatalf("%d spans, want %d: %+v", len(spans), len(wantFrom), spans)
	}
	for k, sg := range spans {
		if sg.from != wantFrom[k] || sg.units != wantUnits[k] {
			t.Errorf("span %d: from %d units %d, want %d, %d", k, sg.from, sg.units, wantFrom[k], wantUnits[k])
		}
	}
	for m, want := range []int{0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3} {
		if got := spanAt(spans, m); got != want {
			t.Errorf("month %d: staffSpan %d, want %d", m, got, want)
		}
	}
}

// Timed decisions that change nothing (changes to the staff in force, an
// end after the horizon, an end at the month after a fixed-launch
// mission's last acting month) keep the frozen reference engine's results
// exactly, on random scenarios: the reference engine, which knows no
// timed decisions, runs the same scenarios and ignores them.
func TestNoOpTimedDecisionsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2026))
	n := 120
	if testing.Short() {
		n = 30
	}
	for i := range n {
		sc := randomScenario(r)
		for j := range sc.Interventions {
			iv := &sc.Interventions[j]
			m := 0
			for range r.IntN(4) {
				m += 1 + r.IntN(max(sc.Horizon/3, 1))
				if m > sc.Horizon {
					break
				}
				iv.StaffFrom = append(iv.StaffFrom, StaffChange{Month: m, Staff: iv.Staff})
			}
			switch {
			case r.IntN(3) == 0:
				iv.EndMonth = sc.Horizon + 1
			case !iv.Triggered && iv.Duration > 0 && r.IntN(2) == 0:
				iv.EndMonth = min(iv.StartMonth+iv.StartupDelay+iv.Duration+1, MaxHorizon+1)
			}
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("scenario %d: %v", i, err)
		}
		sameAsReference(t, "no-op timed decisions", []*Scenario{sc}, r.Uint64(), int64(r.IntN(2000)), 40+int64(r.IntN(300)), 1+r.IntN(2))
		if t.Failed() {
			t.Fatalf("scenario %d differs: %+v", i, sc.Interventions)
		}
	}
}
