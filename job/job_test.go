package job_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// executeBatches runs j in batches of 100 runs and returns the result and
// the partial results the progress callback received, checking that Done
// stays within Total and that a partial result comes after every run of
// its batch was counted. The callback is called from several goroutines.
func executeBatches(t *testing.T, ctx context.Context, j job.Job) (*job.Result, []*job.Result, error) {
	t.Helper()
	j.Batch = 100
	var mu sync.Mutex
	var partials []*job.Result
	var most int64
	res, err := job.Execute(ctx, j, func(p job.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Done < 0 || p.Done > p.Total {
			t.Errorf("progress %d of %d", p.Done, p.Total)
		}
		most = max(most, p.Done)
		if p.Partial != nil {
			if p.Done != most {
				t.Errorf("partial result at %d runs counted, %d seen before", p.Done, most)
			}
			partials = append(partials, p.Partial)
		}
	})
	return res, partials, err
}

// A comparison and a sweep run through the library alone: batches report
// the result so far with a narrowing interval, and the final result is
// byte for byte the one of a single batch (runs are indexed, so batching
// cannot change them).
func TestExecuteCompareAndSweep(t *testing.T) {
	for _, spec := range []job.Spec{
		{Kind: job.Compare, Sources: []string{"workshop-intro"}, Strategies: []string{"historical", "fast"}, Runs: 400},
		{Kind: job.Sweep, Sources: []string{"workshop-intro"}, Vary: []string{"intervention.mediators.staff=0,4"}, Runs: 400},
	} {
		t.Run(spec.Kind, func(t *testing.T) {
			j := job.Job{Spec: spec, Workers: 2}
			res, partials, err := executeBatches(t, context.Background(), j)
			if err != nil {
				t.Fatal(err)
			}
			if len(partials) != 4 {
				t.Fatalf("%d partial results, want 4 (400 runs in batches of 100)", len(partials))
			}
			width := func(r *job.Result) float64 {
				if r.Comparison != nil {
					ci := r.Comparison.Strategies[1].VsBaseline.PWarDiffCI95
					return ci[1] - ci[0]
				}
				ci := r.Sweep.Points[0].PWarCI95
				return ci[1] - ci[0]
			}
			for i, p := range partials {
				if p.Runs != int64(100*(i+1)) {
					t.Errorf("partial %d: %d runs, want %d", i, p.Runs, 100*(i+1))
				}
			}
			// Widths shrink as 1/sqrt(n): four times the runs, about
			// half the width.
			if w0, w3 := width(partials[0]), width(partials[3]); !(w3 < 0.7*w0) {
				t.Errorf("interval %g wide after 100 runs, %g after 400", w0, w3)
			}
			one, err := job.Execute(context.Background(), j, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := resultfile.Marshal(fileOf(res))
			b, _ := resultfile.Marshal(fileOf(one))
			c, _ := resultfile.Marshal(fileOf(partials[3]))
			if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
				t.Error("batches changed the result")
			}
		})
	}
}

func fileOf(r *job.Result) any {
	f, _ := r.File()
	return f
}

// A cancelled context stops a job: before it starts, or between batches
// (here cancelled from the progress callback after the first).
func TestExecuteCancelled(t *testing.T) {
	j := job.Job{Spec: job.Spec{Kind: job.Compare, Sources: []string{"guinea-2009"}, Runs: 1000}, Batch: 100}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := job.Execute(ctx, j, nil); !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("cancelled before: %v, %v", res, err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	res, err := job.Execute(ctx, j, func(p job.Progress) {
		if p.Partial != nil {
			batches++
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || res != nil || batches != 1 {
		t.Errorf("cancelled after a batch: %d batches, %v, %v", batches, res, err)
	}
}

// Mistakes in a job are InvalidErrors, found before anything runs.
func TestPrepareInvalid(t *testing.T) {
	for _, j := range []job.Job{
		{Spec: job.Spec{Kind: "explore", Sources: []string{"guinea-2009"}}},
		{Spec: job.Spec{Kind: job.Run, Sources: []string{"guinea-2009"}, Shard: &resultfile.Shard{Index: 3, Count: 2}}},
		{Spec: job.Spec{Kind: job.Compare, Sources: []string{"guinea-2009"}, Strategies: []string{"none", "none"}}},
		{Spec: job.Spec{Kind: job.Sweep, Sources: []string{"guinea-2009"}, Vary: []string{"horizon_months=3,4"}}},
		{Spec: job.Spec{Kind: job.Sweep, Sources: []string{"guinea-2009"}}},
		{Spec: job.Spec{Kind: job.Run, Sources: []string{"guinea-2009"}}, CIWidth: 2},
	} {
		_, err := job.Prepare(j)
		var ie *job.InvalidError
		if !errors.As(err, &ie) {
			t.Errorf("%+v: %v, want an InvalidError", j.Spec, err)
		}
	}
}

// A scenario given as bytes runs like the same scenario read by name, and
// FromRecipe rebuilds the job a result records.
func TestDataAndRecipe(t *testing.T) {
	src := []byte(`title = "Mini"
runs = 50
seed = 3
horizon_months = 12
[country.a]
initial_tension = 0.3
structural_pressure = 0.5
`)
	j := job.Job{Spec: job.Spec{Kind: job.Run, Sources: []string{"mini.toml"}}, Data: [][]byte{src}}
	res, err := job.Execute(context.Background(), j, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := res.Summary.Provenance.Job
	if rec == nil || rec.Runs != 50 || rec.Seed != 3 || rec.Command() != "escalate run mini.toml --runs 50 --seed 3" {
		t.Fatalf("recorded job %+v", rec)
	}
	again := job.FromRecipe(*rec)
	again.Data = j.Data
	res2, err := job.Execute(context.Background(), again, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := resultfile.Marshal(res.Summary)
	b, _ := resultfile.Marshal(res2.Summary)
	if !bytes.Equal(a, b) {
		t.Error("the recorded job gives another result")
	}
}
