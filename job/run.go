package job

import (
	"context"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

func (p *Prepared) prepareRun() error {
	j := &p.Job
	if len(j.Sources) != 1 {
		return invalidf("run: want one scenario, got %d", len(j.Sources))
	}
	if j.Shard != nil {
		if j.CIWidth > 0 {
			return invalidf("--shard and --ci-width do not mix: a shard cannot know when the whole has enough runs")
		}
		if err := j.Shard.Check(); err != nil {
			return invalidf("--shard: %v", err)
		}
	}
	l, err := j.load(0, j.Strategy)
	if err != nil {
		return err
	}
	p.run, p.scs, p.exec = l, []*sim.Scenario{l.sc}, (*Prepared).executeRun
	return nil
}

// executeRun runs one scenario, or a shard of its runs.
func (p *Prepared) executeRun(ctx context.Context, progress func(Progress)) (*Result, error) {
	sc := p.run.sc
	total := p.count
	if p.Job.CIWidth > 0 {
		total = p.Job.MaxRuns
	}
	var res *sim.Result
	var before int64
	batch := func(from, n int64) error {
		o := p.options(p.first+from, n, before, total, progress)
		o.Records = p.Job.Records
		r, err := sim.Run(ctx, sc, o)
		if err != nil {
			return err
		}
		before += n
		if res == nil {
			res = r
			return nil
		}
		return res.Merge(r)
	}
	width := func() float64 {
		ci := headlineCI(sim.Summarize(sc, res, p.seed))
		return ci[1] - ci[0]
	}
	partial := func(done int64) {
		progress(Progress{Done: before, Total: total, Partial: p.runResult(res, done)})
	}
	prec, err := p.loop(ctx, batch, width, partial)
	if err != nil {
		return nil, err
	}
	out := p.runResult(res, prec.Runs)
	out.Precision = prec
	return out, nil
}

// runResult is the result of a run whose counts are res after done runs.
func (p *Prepared) runResult(res *sim.Result, done int64) *Result {
	sc := p.run.sc
	runs := p.runs
	if p.Job.Shard == nil {
		runs = done
	}
	prov := p.provenance(p.Job.Sources[0], p.Fingerprint(), p.run.strategy, runs)
	sum := &resultfile.Summary{Summary: sim.Summarize(sc, res, p.seed), Provenance: prov}
	agg := &resultfile.Aggregates{Format: resultfile.AggregatesFormat, Provenance: prov, Seed: p.seed, Scenario: sc, Result: res}
	if sh := p.Job.Shard; sh != nil {
		sum.Shard = &resultfile.Shard{Index: sh.Index, Count: sh.Count}
		agg.Shard = &resultfile.Shard{Index: sh.Index, Count: sh.Count}
	}
	return &Result{Kind: Run, Summary: sum, Aggregates: agg, First: p.first, Runs: done}
}

// headlineCI is the interval of the headline P(war): any country at war,
// or the only country.
func headlineCI(s *sim.Summary) [2]float64 {
	if s.AnyWar != nil {
		return s.AnyWar.PWarCI95
	}
	return s.Countries[0].PWarCI95
}
