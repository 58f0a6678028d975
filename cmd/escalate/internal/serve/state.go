package serve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// State is what the page sends: a scenario and its changes, written as the
// command line writes them, so that a state is always a job escalate run
// can repeat (see Command).
type State struct {
	Scenario string   `json:"scenario,omitempty"` // a shipped scenario's name
	Source   string   `json:"source,omitempty"`   // or a pasted or uploaded TOML file
	Strategy string   `json:"strategy,omitempty"`
	Sets     []string `json:"sets,omitempty"`    // --set PATH=VALUE
	Events   []string `json:"events,omitempty"`  // --event COUNTRY:MONTH:SIZE[:LABEL]
	Shocks   []string `json:"shocks,omitempty"`  // --shock COUNTRY:RATE:MEAN[:NAME]
	Disable  []string `json:"disable,omitempty"` // --disable ID
	Runs     int64    `json:"runs,omitempty"`    // 0: the scenario's runs
	Seed     *uint64  `json:"seed,omitempty"`    // nil: the scenario's seed
}

// pastedName is the name a pasted scenario goes by in messages and in the
// downloads' provenance.
const pastedName = "pasted.toml"

// Problem is one thing wrong with a state, placed where the page shows it:
// Control names the control ("set", "event", "shock", "disable",
// "strategy", "runs", "seed", "source", "scenario"), Index the entry among
// several of that control, Key the scenario key (for a --set), Line the
// line of the pasted file. Message is the command line's message.
type Problem struct {
	Control string `json:"control"`
	Index   int    `json:"index"`
	Key     string `json:"key,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Problems is a list of problems: the error a state gives.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

func problem(control string, index int, err error) Problems {
	return Problems{{Control: control, Index: index, Message: err.Error()}}
}

// Built is a state resolved into a scenario ready to run.
type Built struct {
	State    State
	File     *scenarios.File
	Scenario *sim.Scenario
	Runs     int64
	Seed     uint64
}

// build resolves st. Its errors are Problems.
func build(st State, lim Limits) (*Built, error) {
	f, err := openFile(st, lim)
	if err != nil {
		return nil, err
	}
	var ovs []scenarios.Override
	for i, s := range st.Sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return nil, problem("set", i, err)
		}
		ovs = append(ovs, o)
	}
	var sc *sim.Scenario
	if st.Strategy != "" {
		sc, err = f.Strategy(st.Strategy, ovs...)
	} else {
		sc, err = f.Scenario(ovs...)
	}
	if err != nil {
		if es := scenarios.AsErrors(err); len(es) > 0 {
			var ps Problems
			for _, e := range es {
				p := Problem{Control: "set", Key: e.Key, Message: e.Error()}
				if i := slices.IndexFunc(ovs, func(o scenarios.Override) bool { return strings.Join(o.Path, ".") == e.Key }); i >= 0 {
					p.Index = i
				} else if e.Origin == "" || strings.HasPrefix(e.Origin, "strategy.") {
					p.Control, p.Line = "strategy", e.Line
				}
				ps = append(ps, p)
			}
			return nil, ps
		}
		return nil, problem("strategy", 0, err)
	}
	var add scenarios.Additions
	for i, s := range st.Events {
		e, err := scenarios.ParseEvent(s)
		if err != nil {
			return nil, problem("event", i, err)
		}
		add.Events = append(add.Events, e)
	}
	for i, s := range st.Shocks {
		sh, err := scenarios.ParseShock(s)
		if err != nil {
			return nil, problem("shock", i, err)
		}
		add.Shocks = append(add.Shocks, sh)
	}
	add.Disable = st.Disable
	if !add.IsZero() {
		out, err := f.Apply(sc, add)
		if err != nil {
			c, i := blame(f, sc, add)
			return nil, problem(c, i, err)
		}
		sc = out
	}
	b := &Built{State: st, File: f, Scenario: sc, Runs: sc.Runs, Seed: sc.Seed}
	if st.Runs != 0 {
		b.Runs = st.Runs
	}
	if b.Runs < 1 || b.Runs > lim.MaxRuns {
		return nil, Problems{{Control: "runs", Message: fmt.Sprintf("--runs: must be between 1 and %d on this server, got %d", lim.MaxRuns, b.Runs)}}
	}
	if st.Seed != nil {
		b.Seed = *st.Seed
	}
	// The page runs the scenario the command line's job resolves, so that
	// its numbers are those of escalate run by construction; the checks
	// above only place the messages beside their controls.
	p, err := job.Prepare(b.Job())
	if err != nil {
		return nil, problem("scenario", 0, err)
	}
	b.Scenario = p.Scenarios()[0]
	return b, nil
}

// blame finds the addition that makes File.Apply fail: the first entry
// whose cumulative application fails, so the page shows the message next
// to that control.
func blame(f *scenarios.File, sc *sim.Scenario, add scenarios.Additions) (string, int) {
	var part scenarios.Additions
	for i, e := range add.Events {
		part.Events = append(part.Events, e)
		if _, err := f.Apply(sc, part); err != nil {
			return "event", i
		}
	}
	for i, s := range add.Shocks {
		part.Shocks = append(part.Shocks, s)
		if _, err := f.Apply(sc, part); err != nil {
			return "shock", i
		}
	}
	for i, d := range add.Disable {
		part.Disable = append(part.Disable, d)
		if _, err := f.Apply(sc, part); err != nil {
			return "disable", i
		}
	}
	return "event", 0
}

// openFile reads the state's scenario: shipped or pasted.
func openFile(st State, lim Limits) (*scenarios.File, error) {
	switch {
	case st.Source != "" && st.Scenario != "":
		return nil, Problems{{Control: "scenario", Message: "give either a shipped scenario or a pasted file, not both"}}
	case st.Source != "":
		if len(st.Source) > lim.MaxScenarioBytes {
			return nil, Problems{{Control: "source", Message: fmt.Sprintf("%s: file is %d bytes, more than this server's limit of %d", pastedName, len(st.Source), lim.MaxScenarioBytes)}}
		}
		f, err := scenarios.Parse(pastedName, []byte(st.Source))
		if err != nil {
			var ps Problems
			for _, e := range scenarios.AsErrors(err) {
				ps = append(ps, Problem{Control: "source", Key: e.Key, Line: e.Line, Message: e.Error()})
			}
			if len(ps) == 0 {
				ps = problem("source", 0, err)
			}
			return nil, ps
		}
		return f, nil
	case st.Scenario != "":
		f, err := scenarios.Open(st.Scenario)
		if err != nil {
			return nil, problem("scenario", 0, err)
		}
		return f, nil
	}
	return nil, Problems{{Control: "scenario", Message: "choose a shipped scenario or paste a scenario file"}}
}

// Job is the escalate run job that gives the same result as the state:
// what the page's summary download runs and records, so that escalate
// replay repeats it (a pasted file is named pasted.toml).
func (b *Built) Job() job.Job {
	j := job.Job{Spec: job.Spec{
		Kind: job.Run, Sources: []string{b.State.Scenario}, Runs: b.Runs, Seed: b.Seed,
		Strategy: b.State.Strategy, Sets: slices.Clone(b.State.Sets),
		Events: slices.Clone(b.State.Events), Shocks: slices.Clone(b.State.Shocks), Disable: slices.Clone(b.State.Disable),
	}, SeedSet: true, Data: [][]byte{b.File.Data}}
	// The job reads the file the page opened, not a name again: a file
	// in the working directory named like a shipped scenario would
	// otherwise take its place.
	if b.State.Scenario == "" {
		j.Sources = []string{pastedName}
	}
	return j
}

// Command is the escalate run command that gives the same result as the
// state (for a pasted file, saved as pasted.toml).
func (b *Built) Command() string {
	j := b.Job()
	return j.Command()
}

// Changes describes what the state changes, in words, for the history.
func (b *Built) Changes() string {
	var out []string
	if b.State.Strategy != "" {
		out = append(out, "strategy "+b.State.Strategy)
	}
	for _, s := range b.State.Sets {
		out = append(out, s)
	}
	for _, d := range b.State.Disable {
		out = append(out, d+" off")
	}
	for _, e := range b.State.Events {
		out = append(out, "event "+e)
	}
	for _, s := range b.State.Shocks {
		out = append(out, "shock "+s)
	}
	if len(out) == 0 {
		return "as written"
	}
	return strings.Join(out, "; ")
}
