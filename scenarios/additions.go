package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// Additions are changes to a loaded scenario that a strategy's set table
// cannot express, because they add or remove whole entities: an event
// injected at a month, a shock process, a mission switched off. They are
// what --event, --shock and --disable give on the command line and what the
// workshop page's controls make, so a page's state is always a job the
// command line can run.
type Additions struct {
	Events  []AddedEvent
	Shocks  []AddedShock
	Disable []string // intervention ids
}

// AddedEvent is a scheduled change of tension added to one country:
// COUNTRY:MONTH:SIZE[:LABEL] on the command line.
type AddedEvent struct {
	Country string
	Month   int
	Size    float64
	Label   string // the event's name; "added-MONTH" when empty
}

// AddedShock is a Poisson shock process added to one country:
// COUNTRY:RATE_PER_YEAR:MEAN_SIZE[:NAME] on the command line. Sizes are
// exponential with the given mean, as in files by default.
type AddedShock struct {
	Country     string
	RatePerYear float64
	MeanSize    float64
	Name        string // "added" when empty
}

// IsZero reports whether a changes nothing.
func (a Additions) IsZero() bool {
	return len(a.Events) == 0 && len(a.Shocks) == 0 && len(a.Disable) == 0
}

// String returns the event as --event takes it, with its label.
func (e AddedEvent) String() string {
	return fmt.Sprintf("%s:%d:%s:%s", e.Country, e.Month, strconv.FormatFloat(e.Size, 'g', -1, 64), e.label())
}

func (e AddedEvent) label() string {
	if e.Label == "" {
		return "added-" + strconv.Itoa(e.Month)
	}
	return e.Label
}

// String returns the shock as --shock takes it, with its name.
func (s AddedShock) String() string {
	return fmt.Sprintf("%s:%s:%s:%s", s.Country, strconv.FormatFloat(s.RatePerYear, 'g', -1, 64),
		strconv.FormatFloat(s.MeanSize, 'g', -1, 64), s.name())
}

func (s AddedShock) name() string {
	if s.Name == "" {
		return "added"
	}
	return s.Name
}

// splitFields splits COUNTRY:A:B[:NAME] into its three or four parts.
func splitFields(flag, s, form, example string) ([]string, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 3 || len(parts) > 4 {
		return nil, fmt.Errorf("%s %q: want %s, e.g. %s %s", flag, s, form, flag, example)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	if !idPattern.MatchString(parts[0]) {
		return nil, fmt.Errorf("%s %q: the country id %q must be ASCII letters, digits, _ or -", flag, s, parts[0])
	}
	if len(parts) == 4 && !idPattern.MatchString(parts[3]) {
		return nil, fmt.Errorf("%s %q: the name %q must be ASCII letters, digits, _ or - (it becomes a key in the scenario file)", flag, s, parts[3])
	}
	return parts, nil
}

// parseNumber reads a finite number.
func parseNumber(flag, s, what, raw string) (float64, error) {
	x, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s %q: %s must be a number, got %q", flag, s, what, raw)
	}
	return x, nil
}

// ParseEvent parses COUNTRY:MONTH:SIZE[:LABEL], as --event takes it. The
// values are checked against a scenario by Additions.Apply.
func ParseEvent(s string) (AddedEvent, error) {
	parts, err := splitFields("--event", s, "COUNTRY:MONTH:SIZE[:LABEL]", "guinea:12:0.3:coup")
	if err != nil {
		return AddedEvent{}, err
	}
	month, err := strconv.Atoi(parts[1])
	if err != nil {
		return AddedEvent{}, fmt.Errorf("--event %q: the month must be a whole number, got %q", s, parts[1])
	}
	size, err := parseNumber("--event", s, "the size", parts[2])
	if err != nil {
		return AddedEvent{}, err
	}
	e := AddedEvent{Country: parts[0], Month: month, Size: size}
	if len(parts) == 4 {
		e.Label = parts[3]
	}
	return e, nil
}

// ParseShock parses COUNTRY:RATE_PER_YEAR:MEAN_SIZE[:NAME], as --shock
// takes it.
func ParseShock(s string) (AddedShock, error) {
	parts, err := splitFields("--shock", s, "COUNTRY:RATE_PER_YEAR:MEAN_SIZE[:NAME]", "guinea:2:0.1:riots")
	if err != nil {
		return AddedShock{}, err
	}
	rate, err := parseNumber("--shock", s, "the rate per year", parts[1])
	if err != nil {
		return AddedShock{}, err
	}
	mean, err := parseNumber("--shock", s, "the mean size", parts[2])
	if err != nil {
		return AddedShock{}, err
	}
	sh := AddedShock{Country: parts[0], RatePerYear: rate, MeanSize: mean}
	if len(parts) == 4 {
		sh.Name = parts[3]
	}
	return sh, nil
}

// Apply returns a copy of sc, a scenario of file f (with a strategy and
// overrides or not), with the additions made in the order events, shocks,
// disables. sc itself is not changed. Switching off a mission that the
// strategy already switched off is allowed (compare applies one --disable
// to every strategy); one the file does not have is an error. The result is
// validated as files are; an error names the flag and value that caused it.
func (f *File) Apply(sc *sim.Scenario, a Additions) (*sim.Scenario, error) {
	out := *sc
	out.Countries = slices.Clone(sc.Countries)
	for i := range out.Countries {
		c := &out.Countries[i]
		c.Events = slices.Clone(c.Events)
		c.Shocks = slices.Clone(c.Shocks)
	}
	out.Interventions = slices.Clone(sc.Interventions)
	for _, e := range a.Events {
		origin := "--event " + e.String()
		c, err := country(&out, origin, e.Country)
		if err != nil {
			return nil, err
		}
		if out.Model.Dynamics == sim.Markov {
			return nil, fmt.Errorf("%s: events need dynamics = \"tension\"; this scenario uses markov", origin)
		}
		if e.Month < 1 || e.Month > out.Horizon {
			return nil, fmt.Errorf("%s: the month must be between 1 and horizon_months (%d), got %d", origin, out.Horizon, e.Month)
		}
		if e.Size < -1 || e.Size > 1 {
			return nil, fmt.Errorf("%s: the size must be between -1 and 1 (a change of tension), got %g", origin, e.Size)
		}
		if slices.ContainsFunc(c.Events, func(x sim.Event) bool { return x.Name == e.label() }) {
			return nil, fmt.Errorf("%s: country %s already has an event named %q; give another label", origin, c.ID, e.label())
		}
		if len(c.Events) >= sim.MaxEvents {
			return nil, fmt.Errorf("%s: country %s already has the most events allowed (%d)", origin, c.ID, sim.MaxEvents)
		}
		c.Events = append(c.Events, sim.Event{Name: e.label(), Month: e.Month, Size: e.Size})
	}
	for _, s := range a.Shocks {
		origin := "--shock " + s.String()
		c, err := country(&out, origin, s.Country)
		if err != nil {
			return nil, err
		}
		if out.Model.Dynamics == sim.Markov {
			return nil, fmt.Errorf("%s: shocks need dynamics = \"tension\"; this scenario uses markov", origin)
		}
		if s.RatePerYear < 0 || s.RatePerYear > sim.MaxRatePerYear {
			return nil, fmt.Errorf("%s: the rate must be between 0 and %d events a year, got %g", origin, sim.MaxRatePerYear, s.RatePerYear)
		}
		if s.MeanSize < 0 || s.MeanSize > 1 {
			return nil, fmt.Errorf("%s: the mean size must be between 0 and 1, got %g", origin, s.MeanSize)
		}
		if slices.ContainsFunc(c.Shocks, func(x sim.Shock) bool { return x.Name == s.name() }) {
			return nil, fmt.Errorf("%s: country %s already has a shock process named %q; give another name", origin, c.ID, s.name())
		}
		if len(c.Shocks) >= sim.MaxShocks {
			return nil, fmt.Errorf("%s: country %s already has the most shock processes allowed (%d)", origin, c.ID, sim.MaxShocks)
		}
		c.Shocks = append(c.Shocks, sim.Shock{Name: s.name(), RatePerYear: s.RatePerYear, MeanSize: s.MeanSize, Distribution: sim.Exponential})
	}
	for _, id := range a.Disable {
		if ids := f.Interventions(); !slices.Contains(ids, id) {
			return nil, noMission(ids, id)
		}
		out.Interventions = slices.DeleteFunc(out.Interventions, func(iv sim.Intervention) bool { return iv.ID == id })
	}
	if err := out.Validate(); err != nil {
		// The checks above cover what an addition can break; this is
		// the engine's own guarantee.
		return nil, fmt.Errorf("with the additions: %w", err)
	}
	return &out, nil
}

// country returns the country with the given id.
func country(sc *sim.Scenario, origin, id string) (*sim.Country, error) {
	var ids []string
	for i := range sc.Countries {
		if sc.Countries[i].ID == id {
			return &sc.Countries[i], nil
		}
		ids = append(ids, sc.Countries[i].ID)
	}
	msg := fmt.Sprintf("%s: no country %q in this scenario", origin, id)
	if s := Suggest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, fmt.Errorf("%s (countries: %s)", msg, strings.Join(ids, ", "))
}

// Interventions returns the ids of the file's interventions in file order.
func (f *File) Interventions() []string {
	m, _ := f.tree["intervention"].(map[string]any)
	return f.keysOf([]string{"intervention"}, m)
}

// noMission is the error for --disable of an intervention the file does not
// have; ids are those it has.
func noMission(ids []string, id string) error {
	if len(ids) == 0 {
		return fmt.Errorf("--disable %s: this scenario has no interventions", id)
	}
	msg := fmt.Sprintf("--disable %s: no intervention %q in this scenario", id, id)
	if s := Suggest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return errors.New(msg + " (interventions: " + strings.Join(ids, ", ") + ")")
}
