package scenarios

import (
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func guinea(t *testing.T) (*File, *sim.Scenario) {
	t.Helper()
	f, err := Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	return f, sc
}

func TestParseEvent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want AddedEvent
		err  string
	}{
		{in: "guinea:12:0.3", want: AddedEvent{Country: "guinea", Month: 12, Size: 0.3}},
		{in: "guinea:12:-0.25:talks", want: AddedEvent{Country: "guinea", Month: 12, Size: -0.25, Label: "talks"}},
		{in: " guinea : 3 : 1e-1 ", want: AddedEvent{Country: "guinea", Month: 3, Size: 0.1}},
		{in: "guinea:12", err: "want COUNTRY:MONTH:SIZE[:LABEL]"},
		{in: "guinea:12:0.3:a:b", err: "want COUNTRY:MONTH:SIZE[:LABEL]"},
		{in: "guinea:twelve:0.3", err: "the month must be a whole number"},
		{in: "guinea:12:big", err: "the size must be a number"},
		{in: "guinea:12:NaN", err: "the size must be a number"},
		{in: "gui nea:12:0.3", err: "country id"},
		{in: "guinea:12:0.3:coup attempt", err: "the name"},
	} {
		got, err := ParseEvent(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseEvent(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseEvent(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseShock(t *testing.T) {
	got, err := ParseShock("guinea:2:0.1:riots")
	if want := (AddedShock{Country: "guinea", RatePerYear: 2, MeanSize: 0.1, Name: "riots"}); err != nil || got != want {
		t.Fatalf("ParseShock = %+v, %v; want %+v", got, err, want)
	}
	if _, err := ParseShock("guinea:x:0.1"); err == nil || !strings.Contains(err.Error(), "rate per year") {
		t.Errorf("bad rate: %v", err)
	}
}

func TestApplyAdditions(t *testing.T) {
	f, base := guinea(t)
	events := len(base.Countries[0].Events)
	for _, tc := range []struct {
		name string
		add  Additions
		err  string
	}{
		{name: "event", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 12, Size: 0.3}}}},
		{name: "shock", add: Additions{Shocks: []AddedShock{{Country: "guinea", RatePerYear: 2, MeanSize: 0.1}}}},
		{name: "disable", add: Additions{Disable: []string{"unowa"}}},
		{name: "unknown country", add: Additions{Events: []AddedEvent{{Country: "guinee", Month: 1, Size: 0.1}}}, err: `--event guinee:1:0.1:added-1: no country "guinee" in this scenario (did you mean "guinea"?) (countries: guinea)`},
		{name: "month after horizon", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 37, Size: 0.1}}}, err: "the month must be between 1 and horizon_months (36), got 37"},
		{name: "month zero", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 0, Size: 0.1}}}, err: "got 0"},
		{name: "size", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 3, Size: 1.5}}}, err: "the size must be between -1 and 1"},
		{name: "duplicate label", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 3, Size: 0.1, Label: "runoff"}}}, err: `already has an event named "runoff"`},
		{name: "two unlabelled same month", add: Additions{Events: []AddedEvent{{Country: "guinea", Month: 3, Size: 0.1}, {Country: "guinea", Month: 3, Size: 0.2}}}, err: `already has an event named "added-3"`},
		{name: "shock rate", add: Additions{Shocks: []AddedShock{{Country: "guinea", RatePerYear: 500, MeanSize: 0.1}}}, err: "the rate must be between 0 and 120"},
		{name: "shock name", add: Additions{Shocks: []AddedShock{{Country: "guinea", RatePerYear: 1, MeanSize: 0.1, Name: "army"}}}, err: `already has a shock process named "army"`},
		{name: "unknown mission", add: Additions{Disable: []string{"unowa2"}}, err: `--disable unowa2: no intervention "unowa2" in this scenario (did you mean "unowa"?)`},
		{name: "disabled twice", add: Additions{Disable: []string{"unowa", "unowa"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Apply(base, tc.add)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
	if len(base.Countries[0].Events) != events || len(base.Interventions) != 4 {
		t.Errorf("Apply changed its input: %d events, %d interventions", len(base.Countries[0].Events), len(base.Interventions))
	}
}

// An event added with --event is the same model as the same event written
// in the file: the two scenarios are equal value for value.
func TestAddedEventEqualsFileEvent(t *testing.T) {
	src, err := ShippedSource("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	edited := string(src) + "\n[country.guinea.event.coup]\nmonth = 12\nsize = 0.3\n"
	f, err := Parse("edited.toml", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	gf, gs := guinea(t)
	got, err := gf.Apply(gs, Additions{Events: []AddedEvent{{Country: "guinea", Month: 12, Size: 0.3, Label: "coup"}}})
	if err != nil {
		t.Fatal(err)
	}
	want.Name = got.Name
	res := func(sc *sim.Scenario) *sim.Result {
		r, err := sim.Run(t.Context(), sc, sim.Options{Seed: 1, Runs: 600, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := res(got), res(want)
	if a.AnyWar.EverWar != b.AnyWar.EverWar || a.Countries[0].FinalStage != b.Countries[0].FinalStage {
		t.Errorf("added event gives %d wars, file event %d", a.AnyWar.EverWar, b.AnyWar.EverWar)
	}
	// And it changes the outcome: a tension jump of 0.3 raises P(war).
	if c := res(gs); c.AnyWar.EverWar >= a.AnyWar.EverWar {
		t.Errorf("adding a +0.3 event did not raise the wars: %d without, %d with", c.AnyWar.EverWar, a.AnyWar.EverWar)
	}
}

// Switching a mission off with Disable is the same as a strategy's disable.
func TestDisableEqualsStrategyDisable(t *testing.T) {
	f, gs := guinea(t)
	got, err := f.Apply(gs, Additions{Disable: []string{"ecowas", "unowa", "inquiry", "ohchr"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Interventions) != 0 {
		t.Fatalf("%d interventions left", len(got.Interventions))
	}
	none, err := f.Strategy("none")
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Interventions) != 0 || none.Countries[0].Events[0] != got.Countries[0].Events[0] {
		t.Errorf("strategy none keeps %d interventions", len(none.Interventions))
	}
	if again, err := f.Apply(got, Additions{Disable: []string{"unowa"}}); err != nil || len(again.Interventions) != 0 {
		t.Errorf("switching off a mission already off: %v", err)
	}
	if _, err := f.Apply(got, Additions{Disable: []string{"unowa2"}}); err == nil || !strings.Contains(err.Error(), `(interventions: ecowas, unowa, inquiry, ohchr)`) {
		t.Errorf("unknown mission on an empty strategy: %v", err)
	}
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{"guinea:12:0.3", "guinea:12:0.3:coup", "a:b:c:d:e", ":::", "x:1:1e400"} {
		f.Add(s)
	}
	file, err := Open("guinea-2009")
	if err != nil {
		f.Fatal(err)
	}
	base, err := file.Scenario()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEvent(s)
		if err != nil {
			return
		}
		// Whatever parses either applies to a valid scenario or is refused
		// with a message; it never panics.
		if sc, err := file.Apply(base, Additions{Events: []AddedEvent{e}}); err == nil {
			if err := sc.Validate(); err != nil {
				t.Fatalf("Apply(%q) gave an invalid scenario: %v", s, err)
			}
		}
	})
}
