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
	p.run, p.scs = l, []*sim.Scenario{l.sc}
	p.engine = func() engine { return &runEngine{p: p} }
	return nil
}

// runEngine runs one scenario, or a shard of its runs.
type runEngine struct {
	p   *Prepared
	res *sim.Result
}

func (e *runEngine) add(ctx context.Context, o sim.Options) error {
	o.Records = e.p.Job.Records
	r, err := sim.Run(ctx, e.p.run.sc, o)
	if err != nil {
		return err
	}
	return accumulate(&e.res, r)
}

func (e *runEngine) width() float64 {
	ci := headlineCI(sim.Summarize(e.p.run.sc, e.res, e.p.seed))
	return ci[1] - ci[0]
}

func (e *runEngine) result(done int64) *Result { return e.p.runResult(e.res, done) }

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
