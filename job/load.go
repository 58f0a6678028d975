package job

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// overrides returns the Horizon and Sets overrides, in that order.
func (j *Job) overrides() ([]scenarios.Override, error) {
	var out []scenarios.Override
	if j.Horizon != 0 {
		out = append(out, scenarios.Override{
			Path: []string{"horizon_months"}, Value: int64(j.Horizon),
			Origin: "--horizon " + strconv.Itoa(j.Horizon),
		})
	}
	for _, s := range j.Sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return nil, invalidf("%v", err)
		}
		out = append(out, o)
	}
	return out, nil
}

// overridesText returns the overrides as recorded: horizon_months=N for
// Horizon, then Sets.
func (j *Job) overridesText() []string {
	var out []string
	if j.Horizon != 0 {
		out = append(out, fmt.Sprintf("horizon_months=%d", j.Horizon))
	}
	return append(out, j.Sets...)
}

// open reads scenario i: from Data when given, else by name (a shipped
// scenario or a file).
func (j *Job) open(i int) (*scenarios.File, error) {
	if i < len(j.Data) && j.Data[i] != nil {
		return scenarios.Parse(j.Sources[i], j.Data[i])
	}
	return scenarios.Load(j.Sources[i])
}

// additions parses the job's Events, Shocks and Disable.
func (j *Job) additions() (scenarios.Additions, error) {
	var a scenarios.Additions
	for _, s := range j.Events {
		e, err := scenarios.ParseEvent(s)
		if err != nil {
			return a, invalidf("%v", err)
		}
		a.Events = append(a.Events, e)
	}
	for _, s := range j.Shocks {
		sh, err := scenarios.ParseShock(s)
		if err != nil {
			return a, invalidf("%v", err)
		}
		a.Shocks = append(a.Shocks, sh)
	}
	a.Disable = slices.Clone(j.Disable)
	// A --set on a mission --disable switches off would change nothing,
	// and a user who sees it echoed would think it did (as for a
	// strategy's disable, see checkSetsReach).
	for _, set := range j.Sets {
		o, err := scenarios.ParseOverride(set)
		if err == nil && len(o.Path) >= 3 && o.Path[0] == "intervention" && slices.Contains(a.Disable, o.Path[1]) {
			return a, invalidf("--set %s: --disable %s switches intervention %s off, so the value would change nothing; drop one of them", set, o.Path[1], o.Path[1])
		}
	}
	return a, nil
}

// loaded is a scenario file with its strategy, overrides and additions
// applied.
type loaded struct {
	file     *scenarios.File
	sc       *sim.Scenario
	strategy string
	add      scenarios.Additions
}

// load reads scenario i and applies the strategy (if any), the overrides
// and extra overrides after them.
func (j *Job) load(i int, strategy string) (*loaded, error) {
	ovs, err := j.overrides()
	if err != nil {
		return nil, err
	}
	f, err := j.open(i)
	if err != nil {
		return nil, err
	}
	add, err := j.additions()
	if err != nil {
		return nil, err
	}
	l := &loaded{file: f, strategy: strategy, add: add}
	if l.sc, err = l.with(ovs); err != nil {
		return nil, err
	}
	if strategy != "" {
		if err := checkSetsReach(j.Sets, "strategy "+strategy, l.sc); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// with returns the scenario with the strategy, ovs and then the
// additions applied.
func (l *loaded) with(ovs []scenarios.Override) (*sim.Scenario, error) {
	var sc *sim.Scenario
	var err error
	if l.strategy != "" {
		sc, err = l.file.Strategy(l.strategy, ovs...)
	} else {
		sc, err = l.file.Scenario(ovs...)
	}
	if err != nil {
		return nil, err
	}
	return apply(l.file, sc, l.add)
}

// apply makes the additions on sc, a scenario of f.
func apply(f *scenarios.File, sc *sim.Scenario, add scenarios.Additions) (*sim.Scenario, error) {
	if add.IsZero() {
		return sc, nil
	}
	return f.Apply(sc, add)
}

// withPoint returns the scenario with the job's overrides and then the
// point's values of the varied paths.
func (j *Job) withPoint(l *loaded, dims []sim.SweepDimension, idx []int) (*sim.Scenario, error) {
	ovs, err := j.overrides()
	if err != nil {
		return nil, err
	}
	for d, i := range idx {
		o, err := scenarios.ParseOverride(dims[d].Path + "=" + dims[d].Values[i])
		if err != nil {
			return nil, invalidf("%v", err)
		}
		o.Origin = "--vary " + dims[d].Path + "=" + dims[d].Values[i]
		ovs = append(ovs, o)
	}
	return l.with(ovs)
}

// varyLabel checks a varied key path against the loaded scenario (it must
// name a key of an entity the file has, and not of a mission the strategy
// switched off) and returns its label.
func varyLabel(l *loaded, path string) (scenarios.KeyLabel, error) {
	if path == "horizon_months" {
		// Runs of different lengths have no common months to compare.
		return scenarios.KeyLabel{}, invalidf("--vary horizon_months: every point must have the same horizon; run each with escalate run --horizon")
	}
	key, err := l.file.Label(path)
	if err != nil {
		return key, invalidf("--vary %s: %v", path, err)
	}
	return key, l.checkVaried(path)
}

// checkVaried refuses to vary a key of an intervention that the strategy
// switched off: every value would give the same result.
func (l *loaded) checkVaried(path string) error {
	parts, err := scenarios.ParsePath(path)
	if err != nil || len(parts) < 3 || parts[0] != "intervention" || l.strategy == "" {
		return nil // a bad path is reported by the scenario
	}
	for _, iv := range l.sc.Interventions {
		if iv.ID == parts[1] {
			return nil
		}
	}
	return invalidf("--vary %s: strategy %s switches intervention %s off, so every value would give the same result", path, l.strategy, parts[1])
}

// checkSetsReach refuses a --set on an intervention that none of the
// scenarios (a strategy, or the strategies compared) keeps: the value
// would change nothing, and a user who sees it echoed would think it did.
// what names the strategies for the message.
func checkSetsReach(sets []string, what string, scs ...*sim.Scenario) error {
	for _, set := range sets {
		o, err := scenarios.ParseOverride(set)
		if err != nil || len(o.Path) < 3 || o.Path[0] != "intervention" {
			continue
		}
		kept := false
		for _, sc := range scs {
			for _, iv := range sc.Interventions {
				kept = kept || iv.ID == o.Path[1]
			}
		}
		if !kept {
			return invalidf("--set %s: %s switches intervention %s off, so the value would change nothing; drop the --set or choose a strategy that keeps %s", set, what, o.Path[1], o.Path[1])
		}
	}
	return nil
}

// nMonths says n months, "1 month" for one.
func nMonths(n int) string {
	if n == 1 {
		return "1 month"
	}
	return strconv.Itoa(n) + " months"
}

// countryIDs lists a scenario's countries, for messages.
func countryIDs(sc *sim.Scenario) string {
	var s []string
	for _, c := range sc.Countries {
		s = append(s, c.ID)
	}
	return strings.Join(s, ", ")
}
