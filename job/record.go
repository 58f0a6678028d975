package job

import (
	"fmt"

	"github.com/escalate-sim/escalate/job/resultfile"
)

// Record is what a result file records: its kind, its provenance and the
// job that wrote it.
type Record struct {
	Kind       string // resultfile.KindSummary, KindComparison or KindSweep
	Provenance *resultfile.Provenance
	Job        Job
}

// Recorded reads a result file (summary.json, comparison.json or
// sweep.json; path names it in errors) and returns the job that wrote it,
// to replay. A file whose recorded job contradicts its provenance or kind
// was edited and is refused; a file written before results recorded their
// job is refused, naming the version that wrote it.
func Recorded(path string, data []byte) (*Record, error) {
	file, p, err := resultfile.Parse(path, data)
	if err != nil {
		return nil, err
	}
	rec := &Record{Kind: resultfile.KindOf(file), Provenance: p}
	want := map[string]string{resultfile.KindSummary: Run, resultfile.KindComparison: Compare, resultfile.KindSweep: Sweep}[rec.Kind]
	var shard *resultfile.Shard
	if s, ok := file.(*resultfile.Summary); ok {
		shard = s.Shard
	}
	r := p.Job
	if r == nil {
		return nil, fmt.Errorf("%s: written by %s, which did not record its job as a value; replay it with that version (escalate %s and later replay only their own results)", path, p.Tool, Version)
	}
	if r.Runs != p.Runs || r.Seed != p.Seed {
		return nil, fmt.Errorf("%s: records a job of %d runs and seed %d, but %d runs and seed %d: the file was edited", path, r.Runs, r.Seed, p.Runs, p.Seed)
	}
	if r.Kind != want || r.Shard != nil {
		return nil, fmt.Errorf("%s: a %s.json whose recorded job is not a whole %s job: the file was edited", path, rec.Kind, want)
	}
	if shard != nil {
		if err := shard.Check(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	rec.Job = FromRecipe(*r)
	rec.Job.Shard = shard
	return rec, nil
}

// File returns the result as the file it is written to (a
// *resultfile.Summary, *resultfile.Comparison or *resultfile.Sweep) and
// that file's provenance.
func (r *Result) File() (any, *resultfile.Provenance) {
	switch {
	case r.Summary != nil:
		return r.Summary, &r.Summary.Provenance
	case r.Comparison != nil:
		return r.Comparison, &r.Comparison.Provenance
	}
	return r.Sweep, &r.Sweep.Provenance
}
