package serve

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/scenarios"
)

// The strategies a comparison's scenario file holds: the pinned baseline
// and the what-if, so that escalate compare FILE --strategies
// workshop-baseline,workshop-whatif repeats the page's comparison.
const (
	baselineStrategy = "workshop-baseline"
	whatifStrategy   = "workshop-whatif"
)

// comparisonFileName is the name the comparison's scenario file must be
// saved under: the provenance of comparison.json names it.
func comparisonFileName(b *Built) string { return b.File.Name + "-workshop.toml" }

// exportComparisonTOML writes one scenario file for a baseline and a
// what-if of the same file. A strategy can only set keys and switch
// missions off, so the events and shocks either of them added become
// tables of the file, and the strategy of the one that did not add one
// sets its size (or rate) to 0: an event of size 0 and a shock process of
// rate 0 change no run (each random component draws from its own stream),
// which TestComparisonReplays checks.
func exportComparisonTOML(base, whatif *Built) ([]byte, error) {
	if !bytes.Equal(base.File.Data, whatif.File.Data) {
		return nil, badRequest("the baseline and the what-if come from different scenario files")
	}
	type added struct {
		table string // the TOML table
		zero  string // the key a strategy sets to 0 to leave it out
		by    [2]bool
	}
	var adds []*added
	index := map[string]*added{}
	note := func(who int, key, table, zero string) error {
		if a := index[key]; a != nil {
			if a.table != table {
				return badRequest("the baseline and the what-if add different things under one name (%s): rename one", key)
			}
			a.by[who] = true
			return nil
		}
		a := &added{table: table, zero: zero}
		a.by[who] = true
		index[key] = a
		adds = append(adds, a)
		return nil
	}
	for who, b := range []*Built{base, whatif} {
		for _, s := range b.State.Events {
			e, err := scenarios.ParseEvent(s)
			if err != nil {
				return nil, err
			}
			e, _ = scenarios.ParseEvent(e.String()) // with its default label
			key := fmt.Sprintf("country.%s.event.%s", e.Country, e.Label)
			table := fmt.Sprintf("[%s]\nmonth = %d\nsize = %s\n", key, e.Month, strconv.FormatFloat(e.Size, 'g', -1, 64))
			if err := note(who, key, table, key+".size"); err != nil {
				return nil, err
			}
		}
		for _, s := range b.State.Shocks {
			sh, err := scenarios.ParseShock(s)
			if err != nil {
				return nil, err
			}
			sh, _ = scenarios.ParseShock(sh.String())
			key := fmt.Sprintf("country.%s.shock.%s", sh.Country, sh.Name)
			table := fmt.Sprintf("[%s]\nrate_per_year = %s\nmean_size = %s\n", key,
				strconv.FormatFloat(sh.RatePerYear, 'g', -1, 64), strconv.FormatFloat(sh.MeanSize, 'g', -1, 64))
			if err := note(who, key, table, key+".rate_per_year"); err != nil {
				return nil, err
			}
		}
	}
	for _, id := range []string{baselineStrategy, whatifStrategy} {
		if slices.ContainsFunc(base.File.Strategies, func(s scenarios.Strategy) bool { return s.ID == id }) {
			return nil, badRequest("the scenario already has a [strategy.%s]", id)
		}
	}
	var buf bytes.Buffer
	buf.Write(bytes.TrimRight(base.File.Data, "\n"))
	fmt.Fprintf(&buf, "\n\n# Added by escalate serve: baseline %s\n# and what-if %s\n", base.Command(), whatif.Command())
	for _, a := range adds {
		buf.WriteString("\n" + a.table)
	}
	for who, b := range []*Built{base, whatif} {
		var zeros []scenarios.Override
		for _, a := range adds {
			if !a.by[who] {
				zeros = append(zeros, scenarios.Override{Path: strings.Split(a.zero, "."), Value: int64(0)})
			}
		}
		name := []string{baselineStrategy, whatifStrategy}[who]
		title := []string{"Workshop baseline", "Workshop what-if"}[who]
		if err := writeStrategy(&buf, b, name, title, zeros); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// comparisonJob is the escalate compare job of a comparison's scenario
// file (data, saved as name) at the what-if's runs and seed.
func comparisonJob(name string, data []byte, whatif *Built) job.Job {
	return job.Job{Spec: job.Spec{
		Kind: job.Compare, Sources: []string{name}, Runs: whatif.Runs, Seed: whatif.Seed,
		Strategies: []string{baselineStrategy, whatifStrategy},
	}, SeedSet: true, Data: [][]byte{data}}
}
