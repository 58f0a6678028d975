package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// scenarioFlags are the flags that choose and change a scenario, shared by
// run, compare and sweep.
type scenarioFlags struct {
	sets     multiFlag
	horizon  int
	strategy string
	additionFlags
}

func (sf *scenarioFlags) register(fs *flagSet, withStrategy bool) {
	fs.Var(&sf.sets, "set", "override a key: `PATH=VALUE`, e.g. intervention.unowa.staff=30 (repeatable)")
	fs.IntVar(&sf.horizon, "horizon", 0, "months to simulate (default: the scenario's horizon_months)")
	sf.additionFlags.register(fs)
	if withStrategy {
		fs.StringVar(&sf.strategy, "strategy", "", "run the scenario's strategy `NAME` (see escalate show)")
	}
}

// overrides returns the --horizon and --set overrides, in that order.
func (sf *scenarioFlags) overrides() ([]scenarios.Override, error) {
	var out []scenarios.Override
	if sf.horizon != 0 {
		out = append(out, scenarios.Override{
			Path: []string{"horizon_months"}, Value: int64(sf.horizon),
			Origin: "--horizon " + strconv.Itoa(sf.horizon),
		})
	}
	for _, s := range sf.sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return nil, usagef("%v", err)
		}
		out = append(out, o)
	}
	return out, nil
}

// overridesText returns the overrides as given on the command line.
func (sf *scenarioFlags) overridesText() []string {
	var out []string
	if sf.horizon != 0 {
		out = append(out, fmt.Sprintf("horizon_months=%d", sf.horizon))
	}
	return append(out, sf.sets...)
}

// loaded is a scenario ready to run, with what is needed to reproduce it.
type loaded struct {
	file      *scenarios.File
	sc        *sim.Scenario
	strategy  string
	overrides []string // as given on the command line
	additions additionFlags
}

// varyLabel checks a --vary key path against the loaded scenario (it must
// name a key of an entity the file has, and not of a mission the strategy
// switched off) and returns its label.
func varyLabel(l *loaded, path string) (scenarios.KeyLabel, error) {
	if path == "horizon_months" {
		// Runs of different lengths have no common months to compare.
		return scenarios.KeyLabel{}, usagef("--vary horizon_months: every point must have the same horizon; run each with escalate run --horizon")
	}
	key, err := l.file.Label(path)
	if err != nil {
		return key, usagef("--vary %s: %v", path, err)
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
	return usagef("--vary %s: strategy %s switches intervention %s off, so every value would give the same result", path, l.strategy, parts[1])
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
			return usagef("--set %s: %s switches intervention %s off, so the value would change nothing; drop the --set or choose a strategy that keeps %s", set, what, o.Path[1], o.Path[1])
		}
	}
	return nil
}

// load reads the scenario named by arg and applies the strategy (if any)
// and the overrides.
func load(arg string, sf *scenarioFlags, strategy string) (*loaded, error) {
	ovs, err := sf.overrides()
	if err != nil {
		return nil, err
	}
	f, err := scenarios.Load(arg)
	if err != nil {
		return nil, err
	}
	var sc *sim.Scenario
	if strategy != "" {
		sc, err = f.Strategy(strategy, ovs...)
	} else {
		sc, err = f.Scenario(ovs...)
	}
	if err != nil {
		return nil, err
	}
	if sc, err = sf.apply(f, sc); err != nil {
		return nil, err
	}
	if strategy != "" {
		if err := checkSetsReach(sf.sets, "strategy "+strategy, sc); err != nil {
			return nil, err
		}
	}
	return &loaded{file: f, sc: sc, strategy: strategy, overrides: sf.overridesText(), additions: sf.additionFlags}, nil
}

// fingerprint is the SHA-256 of the resolved scenario's canonical JSON:
// every value after defaults, strategies and overrides, so two inputs that
// simulate the same model have the same fingerprint whatever their comments
// or layout.
func fingerprint(sc *sim.Scenario) string {
	data, err := json.Marshal(sc)
	if err != nil {
		// A sim.Scenario is plain data; this cannot fail.
		panic(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
