package job

import (
	"context"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

func (p *Prepared) prepareSweep() error {
	j := &p.Job
	if len(j.Sources) != 1 {
		return invalidf("sweep: want one scenario (see escalate help sweep)")
	}
	if len(j.Vary) == 0 || len(j.Vary) > 2 {
		return invalidf("sweep: give --vary once or twice, got %d", len(j.Vary))
	}
	total := 1
	for _, v := range j.Vary {
		d, err := ParseVary(v)
		if err != nil {
			return err
		}
		p.dims = append(p.dims, d)
		total *= len(d.Values)
	}
	if total > resultfile.MaxSweepPoints {
		return invalidf("sweep: %d points is more than %d; use a larger step", total, resultfile.MaxSweepPoints)
	}
	if len(p.dims) == 2 && p.dims[0].Path == p.dims[1].Path {
		return invalidf("sweep: both --vary flags set %s", p.dims[0].Path)
	}
	// Build every point's scenario before running any: a bad value fails
	// the whole sweep with nothing run.
	base, err := j.load(0, j.Strategy)
	if err != nil {
		return err
	}
	p.base = base
	if p.headline, err = sim.NewHeadline(base.sc, j.Country); err != nil {
		return invalidf("sweep: --country: %v", err)
	}
	j.Vary = nil
	for d := range p.dims {
		l, err := varyLabel(base, p.dims[d].Path)
		if err != nil {
			return err
		}
		p.dims[d].Label = l.String()
		// Recorded with the values listed, as they ran.
		j.Vary = append(j.Vary, p.dims[d].Path+"="+strings.Join(p.dims[d].Values, ","))
	}
	for _, idx := range gridIndices(p.dims) {
		sc, err := j.withPoint(base, p.dims, idx)
		if err != nil {
			return err
		}
		var values []string
		for d, i := range idx {
			values = append(values, p.dims[d].Values[i])
		}
		p.points = append(p.points, point{idx, values})
		p.scs = append(p.scs, sc)
	}
	p.engine = func() engine { return &sweepEngine{p: p, results: make([]*sim.Result, len(p.scs))} }
	return nil
}

// sweepEngine runs every point over the same run indices (common random
// numbers), in batches when a precision target asks for more runs; the
// result equals one batch of the total, which the file records.
type sweepEngine struct {
	p       *Prepared
	results []*sim.Result
}

func (e *sweepEngine) add(ctx context.Context, o sim.Options) error {
	// All points at once on shared random draws: each point's result is
	// exactly sim.Run's, for about 0.7 of the work (docs/benchmarks.md).
	// RunMany reports runs done summed over the points.
	res, err := sim.RunMany(ctx, e.p.scs, o)
	if err != nil {
		return err
	}
	for k := range res {
		if err := accumulate(&e.results[k], res[k]); err != nil {
			return err
		}
	}
	return nil
}

func (e *sweepEngine) width() float64 {
	w := 0.0
	for k := range e.p.points {
		ci := e.point(k).PWarCI95
		w = max(w, ci[1]-ci[0])
	}
	return w
}

func (e *sweepEngine) point(k int) sim.SweepPoint {
	p, pt := e.p, e.p.points[k]
	return sim.NewSweepPoint(pt.index, pt.values, sim.Summarize(p.scs[k], e.results[k], p.seed), p.headline)
}

func (e *sweepEngine) result(runs int64) *Result {
	p := e.p
	sc := p.base.sc
	sum := &sim.SweepSummary{
		Scenario: sc.Name, Title: sc.Title, Runs: runs, Seed: p.seed,
		HorizonMonths: sc.Horizon, Dimensions: p.dims, Headline: p.headline,
	}
	for k := range p.points {
		sum.Points = append(sum.Points, e.point(k))
	}
	prov := p.provenance(p.Job.Sources[0], p.Fingerprint(), p.base.strategy, runs)
	return &Result{Kind: Sweep, Sweep: &resultfile.Sweep{SweepSummary: sum, Provenance: prov}, Runs: runs}
}
