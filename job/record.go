package job

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
)

// Record is what a result file records: its kind, its provenance and the
// job that wrote it.
type Record struct {
	Kind       string // resultfile.KindSummary, KindComparison or KindSweep
	Provenance *resultfile.Provenance
	Job        Job
	// Scenario is the scenario's name, which is its file's.
	Scenario string
	moved    bool // Prepare read the scenario from where it has moved
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
	switch f := file.(type) {
	case *resultfile.Summary:
		shard, rec.Scenario = f.Shard, f.Scenario
	case *resultfile.Comparison:
		rec.Scenario = f.Scenario
	case *resultfile.Sweep:
		rec.Scenario = f.Scenario
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

// Prepare prepares the recorded job to run again with workers workers,
// reading the scenario from moved instead of where the job read it when
// moved is not "" (a file named as the scenario is: its name is the
// scenario's, in every result). It checks that the scenario is the one
// recorded (its SHA-256), so that a changed scenario is found before
// anything runs.
func (r *Record) Prepare(moved string, workers int) (*Prepared, error) {
	j := r.Job
	j.Workers = workers
	if moved != "" {
		if len(j.Sources) != 1 {
			return nil, invalidf("replay: --scenario names one file; this %s is of %d (%s): run them from where they are now with escalate %s", r.Kind, len(j.Sources), r.Provenance.Source, j.Kind)
		}
		if now := strings.TrimSuffix(filepath.Base(moved), ".toml"); r.Scenario != "" && now != r.Scenario {
			return nil, invalidf("replay: --scenario %s: a scenario is named after its file, and this result's is %q: give the file back its name (%s.toml)", moved, r.Scenario, r.Scenario)
		}
		j.Sources = []string{moved}
	}
	r.moved = moved != ""
	p, err := Prepare(j)
	if err != nil {
		hint := ""
		if moved == "" && errors.Is(err, fs.ErrNotExist) {
			hint = "; if the scenario file has moved, give its place with --scenario FILE"
		}
		return nil, fmt.Errorf("replay: cannot load the scenario the %s names: %w%s", r.Kind, err, hint)
	}
	if got := p.Fingerprint(); got != r.Provenance.ScenarioSHA256 {
		return nil, fmt.Errorf("replay: the scenario %s has changed since the %s was written (SHA-256 %.16s… now, %.16s… then); results would differ", strings.Join(j.Sources, " "), r.Kind, got, r.Provenance.ScenarioSHA256)
	}
	return p, nil
}

// Encode returns the file a new result of the recorded job makes, to
// compare with the recorded file byte for byte. A scenario read from
// where it has moved (Prepare's moved) is recorded where it was, since its
// SHA-256 says it is the same.
func (r *Record) Encode(res *Result) ([]byte, error) {
	file, p := res.File()
	if r.moved {
		p.Source, p.Command = r.Provenance.Source, r.Provenance.Command
		p.Job.Sources = r.Provenance.Job.Sources
	}
	return resultfile.Marshal(file)
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
