package serve

import (
	"context"
	"runtime"

	"github.com/escalate-sim/escalate/sim"
)

// Job is one what-if to run: its scenario, and the pinned baseline before
// it when there is one, so that the two are paired on common random
// numbers.
type Job struct {
	Variants []*sim.Scenario // the baseline first when pinned; else one scenario
	Seed     uint64
	Runs     int64
}

// Engine runs jobs in batches. Progress is called after each batch with
// the aggregates of all runs so far (read it during the call only); an
// error from it, or ctx ending, stops the job. The final comparison has
// exactly the runs 0..Runs-1, so it equals a one-shot sim.Compare.
//
// This is the seam where the job library of issue 11 plugs in.
type Engine interface {
	Compare(ctx context.Context, job Job, progress func(done int64, so *sim.Comparison) error) (*sim.Comparison, error)
}

// SimEngine runs jobs with sim.Compare directly, one batch after another,
// merging the aggregates. Batches start small (a first picture within a
// few hundred milliseconds) and double.
type SimEngine struct {
	Workers   int   // 0: one per CPU
	FirstRuns int64 // the first batch; 0: 512 (one chunk of the engine)
}

// Compare implements Engine.
func (e SimEngine) Compare(ctx context.Context, job Job, progress func(int64, *sim.Comparison) error) (*sim.Comparison, error) {
	workers := e.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	batch := e.FirstRuns
	if batch <= 0 {
		batch = 512
	}
	var total *sim.Comparison
	for done := int64(0); done < job.Runs; {
		n := min(batch, job.Runs-done)
		c, err := sim.Compare(ctx, job.Variants, sim.Options{Seed: job.Seed, FirstRun: done, Runs: n, Workers: workers})
		if err != nil {
			return nil, err
		}
		if total == nil {
			total = c
		} else if err := total.Merge(c); err != nil {
			return nil, err
		}
		done += n
		if progress != nil {
			if err := progress(done, total); err != nil {
				return nil, err
			}
		}
		batch *= 2
	}
	if total == nil {
		return sim.Compare(ctx, job.Variants, sim.Options{Seed: job.Seed, Workers: workers})
	}
	return total, nil
}
