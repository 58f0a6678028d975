package study

import (
	"slices"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/scenarios"
)

// Estimate estimates the time of running the points with indices lo to
// hi-1 (a shard's part of the design, or 0 to len(Points)) with the
// study's workers: the points run in parallel, one worker each, so the
// whole takes the sum of their single-worker times over the workers. A point's cost depends on its scenarios' horizon,
// countries and shock rates; only an uncertain shock rate makes points
// differ, so the estimate decodes every point then and the first one
// otherwise.
func (s *Study) Estimate(lo, hi int) (job.Estimate, error) {
	e := job.Estimate{Workers: s.cfg.Workers}
	if lo >= hi {
		return e, nil
	}
	perPoint := func(p Point) (job.Estimate, error) {
		scs, err := s.Scenarios(p)
		if err != nil {
			return job.Estimate{}, err
		}
		return job.EstimateRuns(s.cfg.Runs, scs, s.cfg.Workers), nil
	}
	ratesVary := slices.ContainsFunc(s.cfg.Uncertain, func(u scenarios.Uncertain) bool {
		return len(u.Path) > 0 && u.Path[len(u.Path)-1] == "rate_per_year"
	})
	if !ratesVary {
		one, err := perPoint(s.Points[lo])
		if err != nil {
			return e, err
		}
		n := float64(hi - lo)
		e.CountryMonths, e.Seconds = one.CountryMonths*n, one.Seconds*n
		return e, nil
	}
	for _, p := range s.Points[lo:hi] {
		one, err := perPoint(p)
		if err != nil {
			return e, err
		}
		e.CountryMonths += one.CountryMonths
		e.Seconds += one.Seconds
	}
	return e, nil
}
