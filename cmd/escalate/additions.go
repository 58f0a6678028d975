package main

import (
	"slices"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// additionFlags are --event, --shock and --disable: changes that add or
// remove whole entities of a loaded scenario, which --set (one key of an
// entity the file has) cannot express. run, compare and sweep take them
// through scenarioFlags; a workshop page's state is the same list.
type additionFlags struct {
	events  multiFlag
	shocks  multiFlag
	disable multiFlag
}

func (af *additionFlags) register(fs *flagSet) {
	fs.Var(&af.events, "event", "add a tension change `COUNTRY:MONTH:SIZE[:LABEL]`, e.g. guinea:12:0.3:coup (repeatable)")
	fs.Var(&af.shocks, "shock", "add a shock process `COUNTRY:RATE_PER_YEAR:MEAN_SIZE[:NAME]` (repeatable)")
	fs.Var(&af.disable, "disable", "switch intervention `ID` off (repeatable)")
}

// additions parses the flags.
func (af *additionFlags) additions() (scenarios.Additions, error) {
	var a scenarios.Additions
	for _, s := range af.events {
		e, err := scenarios.ParseEvent(s)
		if err != nil {
			return a, usagef("%v", err)
		}
		a.Events = append(a.Events, e)
	}
	for _, s := range af.shocks {
		sh, err := scenarios.ParseShock(s)
		if err != nil {
			return a, usagef("%v", err)
		}
		a.Shocks = append(a.Shocks, sh)
	}
	a.Disable = slices.Clone(af.disable)
	return a, nil
}

// apply makes the additions on sc, a scenario of f (after its strategy
// and --set).
func (af *additionFlags) apply(f *scenarios.File, sc *sim.Scenario) (*sim.Scenario, error) {
	a, err := af.additions()
	if err != nil || a.IsZero() {
		return sc, err
	}
	return f.Apply(sc, a)
}

// record copies the additions into a provenance and its command, so that
// replay makes them again.
func (af *additionFlags) record(p *provenance) {
	p.Events, p.Shocks, p.Disable = slices.Clone(af.events), slices.Clone(af.shocks), slices.Clone(af.disable)
	p.Command += af.commandText()
}

// commandText is the flags as a command line would give them.
func (af *additionFlags) commandText() string {
	var s string
	for _, e := range af.events {
		s += " --event " + shellQuote(e)
	}
	for _, e := range af.shocks {
		s += " --shock " + shellQuote(e)
	}
	for _, d := range af.disable {
		s += " --disable " + shellQuote(d)
	}
	return s
}

// additionsOf returns the flags a provenance recorded.
func additionsOf(p provenance) additionFlags {
	return additionFlags{events: slices.Clone(p.Events), shocks: slices.Clone(p.Shocks), disable: slices.Clone(p.Disable)}
}
