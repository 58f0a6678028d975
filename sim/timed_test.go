package sim_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// runWithRecords runs sc and returns its aggregates and records.
func runWithRecords(t testing.TB, sc *sim.Scenario, seed uint64, first, runs int64) (*sim.Result, []sim.CountryRecord) {
	t.Helper()
	var recs []sim.CountryRecord
	res, err := sim.Run(context.Background(), sc, sim.Options{
		Seed: seed, FirstRun: first, Runs: runs, Workers: 2,
		Records: func(r []sim.CountryRecord) error { recs = append(recs, r...); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, recs
}

// clone returns a deep copy of sc whose interventions can be edited.
func clone(sc *sim.Scenario) *sim.Scenario {
	c := *sc
	c.Interventions = slices.Clone(sc.Interventions)
	for i := range c.Interventions {
		c.Interventions[i].StaffFrom = slices.Clone(sc.Interventions[i].StaffFrom)
	}
	return &c
}

// A trace's records are the rows of that run index that the records of a
// whole run give, on every shipped scenario and strategy.
func TestTraceRecordsEqualRunRecords(t *testing.T) {
	for name, vs := range shippedVariants(t) {
		for v, sc := range vs {
			_, recs := runWithRecords(t, sc, sc.Seed, 0, 600)
			nc := len(sc.Countries)
			for _, run := range []int64{0, 7, 513, 599} {
				p, err := sim.Trace(sc, sc.Seed, run, 0)
				if err != nil {
					t.Fatal(err)
				}
				want := recs[int(run)*nc : int(run+1)*nc]
				if !reflect.DeepEqual(p.Records, want) {
					t.Errorf("%s variant %d run %d: trace records\n%+v\nwant\n%+v", name, v, run, p.Records, want)
				}
				for c, cp := range p.Countries {
					rec := p.Records[c]
					if cp.Stage[sc.Horizon] != rec.FinalStage {
						t.Errorf("%s run %d %s: final stage %v, record says %v", name, run, cp.ID, cp.Stage[sc.Horizon], rec.FinalStage)
					}
					wm := 0
					for m := 1; m <= sc.Horizon; m++ {
						if cp.Stage[m] == sim.War {
							wm++
						}
					}
					if wm != rec.WarMonths {
						t.Errorf("%s run %d %s: %d months at war in the trace, %d in the record", name, run, cp.ID, wm, rec.WarMonths)
					}
					if cp.Tension != nil && slices.Max(cp.Tension) != rec.PeakTension {
						t.Errorf("%s run %d %s: peak %v in the trace, %v in the record", name, run, cp.ID, slices.Max(cp.Tension), rec.PeakTension)
					}
				}
			}
		}
	}
}

// A staff schedule whose changes keep the staff in force is no schedule:
// the same aggregates, records and summary costs, byte for byte.
func TestStaffFromSameStaffIsNoSchedule(t *testing.T) {
	for name, vs := range shippedVariants(t) {
		sc := vs[0]
		if len(sc.Interventions) == 0 {
			continue
		}
		timed := clone(sc)
		for i := range timed.Interventions {
			iv := &timed.Interventions[i]
			iv.StaffFrom = []sim.StaffChange{{Month: 1, Staff: iv.Staff}, {Month: sc.Horizon / 2, Staff: iv.Staff}}
		}
		wantRes, wantRecs := runWithRecords(t, sc, 5, 0, 2000)
		gotRes, gotRecs := runWithRecords(t, timed, 5, 0, 2000)
		if !reflect.DeepEqual(gotRes, wantRes) || !reflect.DeepEqual(gotRecs, wantRecs) {
			t.Errorf("%s: a schedule to the same staff changes the results", name)
		}
		ws, gs := sim.Summarize(sc, wantRes, 5), sim.Summarize(timed, gotRes, 5)
		for i := range gs.Interventions {
			gs.Interventions[i].StaffFrom = nil
		}
		wj, _ := json.Marshal(ws)
		gj, _ := json.Marshal(gs)
		if string(wj) != string(gj) {
			t.Errorf("%s: a schedule to the same staff changes the summary", name)
		}
	}
}

// end_month = the month after the last acting month of a mission with a
// duration gives that mission's results exactly.
func TestEndMonthEqualsDuration(t *testing.T) {
	for name, vs := range shippedVariants(t) {
		sc := vs[0]
		for i, iv := range sc.Interventions {
			if iv.Triggered || iv.Duration != 0 {
				continue
			}
			for _, d := range []int{1, 5, sc.Horizon / 3} {
				withDur, withEnd := clone(sc), clone(sc)
				withDur.Interventions[i].Duration = d
				// Launched in month L, it acts in L+delay+1 .. L+delay+d.
				withEnd.Interventions[i].EndMonth = iv.StartMonth + iv.StartupDelay + d + 1
				if withEnd.Interventions[i].EndMonth > sim.MaxHorizon+1 {
					continue
				}
				wr, wrec := runWithRecords(t, withDur, 3, 0, 1000)
				gr, grec := runWithRecords(t, withEnd, 3, 0, 1000)
				if !reflect.DeepEqual(gr, wr) || !reflect.DeepEqual(grec, wrec) {
					t.Errorf("%s %s: end_month %d differs from duration %d", name, iv.ID, withEnd.Interventions[i].EndMonth, d)
				}
			}
		}
	}
}

// singleMission is one country with a fixed-launch mission: deterministic
// staff-months, for closed-form costs.
func singleMission(kind sim.Kind, start, delay int, staff float64, changes []sim.StaffChange, end int) *sim.Scenario {
	return &sim.Scenario{
		Name: "single", Horizon: 36, Runs: 1, Seed: 1,
		Model: sim.Model{Dynamics: sim.Tension, EscalationThreshold: 0.4, WarThreshold: 0.7, Hysteresis: 0.05, DetectionLag: 2, RuleOfLawDecay: 0.05},
		Countries: []sim.Country{{
			ID: "a", InitialTension: 0.3, StructuralPressure: 0.35, Reversion: 0.1, Volatility: 0.05,
			Shocks: []sim.Shock{{Name: "s", RatePerYear: 3, MeanSize: 0.1}},
		}},
		Interventions: []sim.Intervention{{
			ID: "m", Kind: kind, Countries: []int{0}, StartMonth: start, StartupDelay: delay,
			Staff: staff, StaffScale: 10, Expertise: 0.8, Consent: 1, CostPerStaffMonth: 1000,
			Effect: sim.DefaultEffect(kind, sim.Tension), EndMonth: end, StaffFrom: changes,
		}},
	}
}

// A schedule's cost is Σ staff × months × cost per staff-month over the
// months it acts, in every run's record and in the summary.
func TestScheduleCostClosedForm(t *testing.T) {
	cases := []struct {
		name    string
		start   int
		delay   int
		staff   float64
		changes []sim.StaffChange
		end     int
		want    float64 // staff-months
		exact   bool
	}{
		// Acts 3..36 (34 months): 2..8 at 40 (6 acting: 3..8), 9..14 at
		// 20, 15..36 at 10.
		{"dyadic", 0, 2, 40, []sim.StaffChange{{Month: 9, Staff: 20}, {Month: 15, Staff: 10}}, 0, 6*40 + 6*20 + 22*10, true},
		// Raised above the initial staff: reference 30.
		{"raise", 0, 0, 10, []sim.StaffChange{{Month: 13, Staff: 30}}, 25, 12*10 + 12*30, false},
		// Down to zero and back.
		{"pause", 5, 0, 8, []sim.StaffChange{{Month: 10, Staff: 0}, {Month: 20, Staff: 8}}, 0, 4*8 + 10*0 + 17*8, true},
		// Changes before the launch set the staff it starts with.
		{"before launch", 20, 0, 5, []sim.StaffChange{{Month: 2, Staff: 7}}, 0, 16 * 7, false},
	}
	for _, tc := range cases {
		sc := singleMission(sim.Mediation, tc.start, tc.delay, tc.staff, tc.changes, tc.end)
		res, recs := runWithRecords(t, sc, 9, 0, 50)
		want := tc.want * 1000
		tol := 0.0
		if !tc.exact {
			// Share-months are rounded to 1/65536 of the reference
			// staff per month.
			tol = sc.Interventions[0].ReferenceStaff() * 1000 * 36 * 0.5 / sim.ShareUnit
		}
		for _, r := range recs {
			if math.Abs(r.Cost-want) > tol {
				t.Errorf("%s: run %d costs %v, want %v", tc.name, r.Run, r.Cost, want)
			}
		}
		sum := sim.Summarize(sc, res, 9)
		if got := sum.Cost.Mean; math.Abs(got-want) > tol*(1+1e-9)+1e-9*want {
			t.Errorf("%s: summary cost %v, want %v", tc.name, got, want)
		}
		if got := sum.Countries[0].Cost.Mean; math.Abs(got-want) > tol*(1+1e-9)+1e-9*want {
			t.Errorf("%s: country cost %v, want %v", tc.name, got, want)
		}
		p, err := sim.Trace(sc, 9, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		sm := 0.0
		for _, s := range p.Interventions[0].Staff {
			sm += s
		}
		if sm != tc.want {
			t.Errorf("%s: the trace's staff sums to %v staff-months, want %v", tc.name, sm, tc.want)
		}
	}
}

// Zero staff until month k and then s is, for the country, the mission
// launched to act from month k with staff s: the same path and cost.
func TestZeroStaffThenResizeIsLateLaunch(t *testing.T) {
	for _, kind := range []sim.Kind{sim.Mediation, sim.RuleOfLaw, sim.Monitoring} {
		for _, k := range []int{1, 6, 20} {
			late := singleMission(kind, k-1, 0, 12, nil, 0)
			resized := singleMission(kind, 0, 0, 0, []sim.StaffChange{{Month: k, Staff: 12}}, 0)
			for run := int64(0); run < 20; run++ {
				a, err := sim.Trace(late, 4, run, 0)
				if err != nil {
					t.Fatal(err)
				}
				b, err := sim.Trace(resized, 4, run, 0)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(a.Countries, b.Countries) {
					t.Fatalf("%v k=%d run %d: paths differ", kind, k, run)
				}
				if !reflect.DeepEqual(a.Interventions[0].Staff, b.Interventions[0].Staff) {
					t.Errorf("%v k=%d run %d: staff %v vs %v", kind, k, run, a.Interventions[0].Staff, b.Interventions[0].Staff)
				}
				if a.Records[0].Cost != b.Records[0].Cost || a.Records[0].WarMonths != b.Records[0].WarMonths {
					t.Errorf("%v k=%d run %d: cost %v vs %v", kind, k, run, a.Records[0].Cost, b.Records[0].Cost)
				}
			}
		}
	}
}
