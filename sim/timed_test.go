package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

// withChange returns sc with a random timed decision of intervention i
// from month k: a resize (replacing the schedule from k on), an end, or a
// launch in month k-1 (of a mission that the base never launches).
func withChange(r *rand.Rand, sc *sim.Scenario, i, k int) (base, changed *sim.Scenario, what string) {
	base, changed = clone(sc), clone(sc)
	iv := &changed.Interventions[i]
	switch r.IntN(3) {
	case 0:
		staff := float64(r.IntN(41))
		iv.StaffFrom = slices.DeleteFunc(iv.StaffFrom, func(c sim.StaffChange) bool { return c.Month >= k })
		iv.StaffFrom = append(iv.StaffFrom, sim.StaffChange{Month: k, Staff: staff})
		return base, changed, fmt.Sprintf("staff %v from month %d", staff, k)
	case 1:
		if iv.EndMonth == 0 || iv.EndMonth > k {
			iv.EndMonth = k
		}
		return base, changed, fmt.Sprintf("end from month %d", k)
	}
	for _, v := range []*sim.Scenario{base, changed} {
		v.Interventions[i].Triggered = false
		v.Interventions[i].StartMonth = sim.MaxHorizon
	}
	iv.StartMonth = k - 1
	return base, changed, fmt.Sprintf("launch in month %d", k-1)
}

// Causality: a decision that takes effect in month k leaves months 0..k-1
// of every run as they were, on every shipped scenario and strategy, for
// random decisions; and it changes nothing at all if it acts after the
// horizon.
func TestTimedDecisionCausality(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	trials := 12
	if testing.Short() {
		trials = 3
	}
	for name, vs := range shippedVariants(t) {
		for v, sc := range vs {
			if len(sc.Interventions) == 0 {
				continue
			}
			for range trials {
				i := r.IntN(len(sc.Interventions))
				k := 1 + r.IntN(sc.Horizon)
				base, changed, what := withChange(r, sc, i, k)
				run := r.Int64N(1 << 20)
				a, err := sim.Trace(base, sc.Seed, run, 0)
				if err != nil {
					t.Fatal(err)
				}
				b, err := sim.Trace(changed, sc.Seed, run, 0)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				for c := range a.Countries {
					ca, cb := a.Countries[c], b.Countries[c]
					if ca.Tension != nil && !slices.Equal(ca.Tension[:k], cb.Tension[:k]) ||
						!slices.Equal(ca.Stage[:k], cb.Stage[:k]) || !slices.Equal(ca.RuleOfLaw[:k], cb.RuleOfLaw[:k]) ||
						!slices.Equal(ca.Shock, cb.Shock) || !slices.Equal(ca.Event, cb.Event) {
						t.Errorf("%s variant %d run %d, %s %s: months before %d changed in %s", name, v, run, sc.Interventions[i].ID, what, k, ca.ID)
					}
				}
				for j := range a.Interventions {
					if !slices.Equal(a.Interventions[j].Staff[:k], b.Interventions[j].Staff[:k]) {
						t.Errorf("%s variant %d run %d, %s %s: staff before %d changed for %s", name, v, run, sc.Interventions[i].ID, what, k, a.Interventions[j].ID)
					}
				}
			}
		}
	}
}

// twoCountries is a regional mandate over two countries of different
// tension, fixed launch, and a staff schedule.
func twoCountries(start int, staff float64, changes []sim.StaffChange) *sim.Scenario {
	sc := singleMission(sim.Mediation, start, 0, staff, changes, 0)
	sc.Countries = append(sc.Countries, sim.Country{ID: "b", InitialTension: 0.5, StructuralPressure: 0.55, Reversion: 0.1, Volatility: 0.03})
	sc.Interventions[0].Countries = []int{0, 1}
	return sc
}

// A regional mandate's split follows the staff in force: each month's
// shares sum to that staff, and a mandate without staff until month k is
// the mandate launched to act from k.
func TestRegionalResize(t *testing.T) {
	changes := []sim.StaffChange{{Month: 6, Staff: 30}, {Month: 14, Staff: 7}, {Month: 30, Staff: 0}}
	sc := twoCountries(0, 12, changes)
	ref := sc.Interventions[0].ReferenceStaff()
	for run := int64(0); run < 30; run++ {
		p, err := sim.Trace(sc, 2, run, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Every acting month places its whole staff in force: the units
		// of the months' staffs, and the country costs sum to their cost.
		var want int64
		staffMonths := 0.0
		for m, s := range p.Interventions[0].Staff {
			if m >= p.Interventions[0].From && m <= p.Interventions[0].To {
				want += int64(s/ref*sim.ShareUnit + 0.5)
				staffMonths += s
			}
		}
		res, _ := runWithRecords(t, sc, 2, run, 1)
		got := res.Interventions[0].StaffShare[0] + res.Interventions[0].StaffShare[1]
		if got != want {
			t.Errorf("run %d: shares sum to %d units, want %d", run, got, want)
		}
		cost := p.Records[0].Cost + p.Records[1].Cost
		if math.Abs(cost-staffMonths*1000) > ref*1000*36*0.5/sim.ShareUnit+1e-6 {
			t.Errorf("run %d: countries' costs sum to %v, want %v", run, cost, staffMonths*1000)
		}
	}
	late := twoCountries(9, 12, nil)
	resized := twoCountries(0, 0, []sim.StaffChange{{Month: 10, Staff: 12}})
	for run := int64(0); run < 30; run++ {
		a, _ := sim.Trace(late, 2, run, 0)
		b, _ := sim.Trace(resized, 2, run, 0)
		if !reflect.DeepEqual(a.Countries, b.Countries) {
			t.Fatalf("run %d: a regional mandate without staff until month 10 is not one launched to act from 10", run)
		}
		for c := range a.Records {
			if a.Records[c].Cost != b.Records[c].Cost {
				t.Errorf("run %d country %d: cost %v vs %v", run, c, a.Records[c].Cost, b.Records[c].Cost)
			}
		}
	}
}

// Monitoring removes the detection lag only with the staff in force: a
// monitoring mission without staff until month k lets a triggered mission
// wait for the lag before k, and detects at once from k.
func TestMonitoringDetectsWithStaffInForce(t *testing.T) {
	for _, tc := range []struct {
		staff   float64
		changes []sim.StaffChange
		launch  int
	}{
		{0, nil, 10}, // never staffed: the lag (escalating from month 0, lag 10)
		{10, nil, 1}, // staffed from its first month
		{0, []sim.StaffChange{{Month: 4, Staff: 10}}, 4},
		{0, []sim.StaffChange{{Month: 12, Staff: 10}}, 10},
		{10, []sim.StaffChange{{Month: 2, Staff: 0}}, 1},
	} {
		sc := singleMission(sim.Monitoring, 0, 0, tc.staff, tc.changes, 0)
		sc.Model.DetectionLag = 10
		sc.Countries[0].InitialTension = 0.5 // escalating, and held there
		sc.Countries[0].StructuralPressure = 0.55
		sc.Countries[0].Volatility = 0
		sc.Countries[0].Shocks = nil
		sc.Interventions = append(sc.Interventions, sim.Intervention{
			ID: "envoy", Kind: sim.Mediation, Countries: []int{0}, Triggered: true, Trigger: sim.Escalating,
			Staff: 0, StaffScale: 10, Expertise: 1, Consent: 1, Effect: sim.DefaultEffect(sim.Mediation, sim.Tension),
		})
		p, err := sim.Trace(sc, 1, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Interventions[1].LaunchMonth; got != tc.launch {
			t.Errorf("monitoring staff %v then %v: launched in month %d, want %d", tc.staff, tc.changes, got, tc.launch)
		}
	}
}

// A path's JSON names the stages and holds every month.
func TestPathJSON(t *testing.T) {
	sc := singleMission(sim.Mediation, 0, 0, 5, []sim.StaffChange{{Month: 3, Staff: 10}}, 6)
	sc.Horizon = 6
	sc.Countries[0].InitialTension = 0.45
	p, err := sim.Trace(sc, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Countries []struct {
			ID      string
			Stage   []string
			Tension []float64
		}
		Interventions []struct {
			Staff    []float64
			From, To int
		}
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	c := back.Countries[0]
	if c.ID != "a" || len(c.Stage) != 7 || c.Stage[0] != "escalating" || !slices.Equal(c.Tension, p.Countries[0].Tension) {
		t.Errorf("country: %+v\n%s", c, data)
	}
	for m, st := range p.Countries[0].Stage {
		if c.Stage[m] != st.String() {
			t.Errorf("month %d: stage %q, want %q", m, c.Stage[m], st)
		}
	}
	iv := back.Interventions[0]
	if iv.From != 1 || iv.To != 5 || !slices.Equal(iv.Staff, []float64{0, 5, 5, 10, 10, 10, 0}) {
		t.Errorf("intervention: %+v", iv)
	}
}

// Validate names the key of a bad timed decision.
func TestValidateTimedDecisions(t *testing.T) {
	for _, tc := range []struct {
		changes []sim.StaffChange
		end     int
		path    string // "" when valid
	}{
		{nil, 0, ""},
		{[]sim.StaffChange{{Month: 1, Staff: 0}, {Month: sim.MaxHorizon, Staff: sim.MaxStaff}}, sim.MaxHorizon + 1, ""},
		{nil, -1, "intervention.m.end_month"},
		{nil, sim.MaxHorizon + 2, "intervention.m.end_month"},
		{[]sim.StaffChange{{Month: 0, Staff: 1}}, 0, "intervention.m.staff_from.0"},
		{[]sim.StaffChange{{Month: sim.MaxHorizon + 1, Staff: 1}}, 0, "intervention.m.staff_from.1201"},
		{[]sim.StaffChange{{Month: 9, Staff: 1}, {Month: 4, Staff: 2}}, 0, "intervention.m.staff_from.4"},
		{[]sim.StaffChange{{Month: 9, Staff: 1}, {Month: 9, Staff: 2}}, 0, "intervention.m.staff_from.9"},
		{[]sim.StaffChange{{Month: 3, Staff: -1}}, 0, "intervention.m.staff_from.3"},
		{[]sim.StaffChange{{Month: 3, Staff: math.NaN()}}, 0, "intervention.m.staff_from.3"},
		{[]sim.StaffChange{{Month: 3, Staff: sim.MaxStaff + 1}}, 0, "intervention.m.staff_from.3"},
	} {
		sc := singleMission(sim.Mediation, 0, 0, 5, tc.changes, tc.end)
		err := sc.Validate()
		var fe *sim.FieldError
		switch {
		case tc.path == "" && err != nil:
			t.Errorf("%+v end %d: %v", tc.changes, tc.end, err)
		case tc.path != "" && (!errors.As(err, &fe) || fe.Path != tc.path):
			t.Errorf("%+v end %d: error %v, want one about %s", tc.changes, tc.end, err, tc.path)
		}
	}
}
