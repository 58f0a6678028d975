package job

import (
	"context"
	"fmt"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// MaxStrategies bounds the variants of a comparison.
const MaxStrategies = resultfile.MaxStrategies

func (p *Prepared) prepareCompare() error {
	j := &p.Job
	var err error
	switch {
	case len(j.Sources) == 1 && len(j.Vary) > 0:
		if len(j.Strategies) > 0 || j.Baseline != "" {
			return invalidf("compare: --vary compares values of one key; it does not mix with --strategies or --baseline")
		}
		if len(j.Vary) > 1 {
			return invalidf("compare varies one key; to vary two, use escalate sweep with two --vary")
		}
		err = p.varyVariants()
	case j.Strategy != "":
		return invalidf("compare: --strategy goes with --vary; use --strategies to compare strategies")
	case len(j.Sources) == 1:
		err = p.strategyVariants()
	case len(j.Sources) == 2:
		if len(j.Strategies) > 0 || j.Baseline != "" || len(j.Vary) > 0 {
			return invalidf("compare: --strategies and --baseline apply to one scenario's strategies, not to two files")
		}
		err = p.fileVariants()
	default:
		return invalidf("compare: want a scenario with strategies, or two scenario files (see escalate help compare)")
	}
	if err != nil {
		return err
	}
	if len(p.scs) > MaxStrategies {
		return invalidf("compare: %d variants is more than %d", len(p.scs), MaxStrategies)
	}
	if p.headline, err = sim.NewHeadline(p.scs[0], j.Country); err != nil {
		return invalidf("compare: --country: %v", err)
	}
	p.engine = func() engine { return &compareEngine{p: p} }
	return nil
}

// strategyVariants loads the chosen strategies of one scenario file, the
// baseline first, and records them in that order.
func (p *Prepared) strategyVariants() error {
	j := &p.Job
	ovs, err := j.overrides()
	if err != nil {
		return err
	}
	add, err := j.additions()
	if err != nil {
		return err
	}
	f, err := j.open(0)
	if err != nil {
		return err
	}
	if len(f.Strategies) == 0 {
		return fmt.Errorf("%s defines no [strategy.NAME] tables: add some (see escalate help format), or compare two files", j.Sources[0])
	}
	ids := j.Strategies
	if len(ids) == 0 {
		for _, s := range f.Strategies {
			ids = append(ids, s.ID)
		}
	}
	if j.Baseline != "" {
		rest := []string{j.Baseline}
		for _, id := range ids {
			if id != j.Baseline {
				rest = append(rest, id)
			}
		}
		ids = rest
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return invalidf("compare: strategy %q listed twice", id)
		}
		seen[id] = true
		sc, err := f.Strategy(id, ovs...)
		if err != nil {
			return err
		}
		if sc, err = apply(f, sc, add); err != nil {
			return err
		}
		p.scs = append(p.scs, sc)
		for _, s := range f.Strategies {
			if s.ID == id {
				p.labels = append(p.labels, sim.Variant{ID: s.ID, Name: s.Name, Description: s.Description})
			}
		}
	}
	if len(p.scs) < 2 {
		return invalidf("compare: want at least two strategies, got %d", len(p.scs))
	}
	j.Strategies, j.Baseline = ids, ""
	return checkSetsReach(j.Sets, "every strategy compared ("+strings.Join(ids, ", ")+")", p.scs...)
}

// varyVariants loads the scenario (or a strategy of it) at each value of
// one key path, the first value as the baseline.
func (p *Prepared) varyVariants() error {
	j := &p.Job
	dim, err := ParseVary(j.Vary[0])
	if err != nil {
		return err
	}
	if len(dim.Values) < 2 {
		return invalidf("compare: --vary wants at least two values, got %d", len(dim.Values))
	}
	base, err := j.load(0, j.Strategy)
	if err != nil {
		return err
	}
	key, err := varyLabel(base, dim.Path)
	if err != nil {
		return err
	}
	dims := []sim.SweepDimension{dim}
	for i, v := range dim.Values {
		sc, err := j.withPoint(base, dims, []int{i})
		if err != nil {
			return err
		}
		p.scs = append(p.scs, sc)
		name := key.Value(v)
		if key.Subject != "" {
			// "staff 20" alone does not say whose staff.
			name = key.Subject + ": " + name
		}
		p.labels = append(p.labels, sim.Variant{ID: dim.Path + "=" + v, Name: name})
	}
	return nil
}

// fileVariants loads two scenario files as written, the first as the
// baseline.
func (p *Prepared) fileVariants() error {
	j := &p.Job
	for i := range j.Sources {
		l, err := j.load(i, "")
		if err != nil {
			return err
		}
		p.scs = append(p.scs, l.sc)
		p.labels = append(p.labels, sim.Variant{ID: l.sc.Name, Name: l.sc.Title})
	}
	a, b := p.scs[0], p.scs[1]
	paths := j.Sources
	if a.Horizon != b.Horizon {
		return fmt.Errorf("compare: %s has %s and %s %s; use --horizon to make them equal", paths[0], nMonths(a.Horizon), paths[1], nMonths(b.Horizon))
	}
	if countryIDs(a) != countryIDs(b) {
		return fmt.Errorf("compare: the files must have the same countries in the same order (%s has %s; %s has %s)", paths[0], countryIDs(a), paths[1], countryIDs(b))
	}
	if p.labels[0].ID == p.labels[1].ID {
		p.labels[1].ID += "-2"
	}
	if p.labels[0].Name == p.labels[1].Name {
		// Two versions of one scenario: tell them apart by file.
		p.labels[0].Name, p.labels[1].Name = paths[0], paths[1]
	}
	return nil
}

// compareEngine runs every variant over the same run indices (common
// random numbers) and pairs them run by run.
type compareEngine struct {
	p   *Prepared
	cmp *sim.Comparison
}

func (e *compareEngine) add(ctx context.Context, o sim.Options) error {
	c, err := sim.Compare(ctx, e.p.scs, o)
	if err != nil {
		return err
	}
	return accumulate(&e.cmp, c)
}

func (e *compareEngine) width() float64 {
	w := 0.0
	for _, s := range e.summary().Strategies[1:] {
		w = max(w, s.VsBaseline.PWarDiffCI95[1]-s.VsBaseline.PWarDiffCI95[0])
	}
	return w
}

func (e *compareEngine) summary() *sim.ComparisonSummary {
	p := e.p
	return sim.SummarizeComparison(p.scs, p.labels, e.cmp, p.seed, p.headline)
}

func (e *compareEngine) result(runs int64) *Result {
	p := e.p
	prov := p.provenance(strings.Join(p.Job.Sources, " "), p.Fingerprint(), joinIDs(p.labels), runs)
	return &Result{Kind: Compare, Comparison: &resultfile.Comparison{ComparisonSummary: e.summary(), Provenance: prov}, Runs: runs}
}
