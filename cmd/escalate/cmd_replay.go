package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

const replayDoc = `
Re-run the job that wrote a summary.json, comparison.json or sweep.json,
from the job its provenance records (scenario, strategies, overrides, runs,
seed), and confirm that the new result is byte-identical, or say what
differs. The scenario must still be readable where the file says it was (a
shipped name, or a path from the directory the job ran in), or where
--scenario says it is now, and unchanged: its SHA-256 is checked.

  escalate run guinea-2009 --out results
  escalate replay results/summary.json
  escalate compare guinea-2009 --out cmp
  escalate replay cmp/comparison.json
  escalate replay --scenario ~/moved/my.toml results/summary.json
`

func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "SUMMARY.json | comparison.json | sweep.json", replayDoc)
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	yes := fs.Bool("yes", false, "replay a job estimated to take more than 10 minutes")
	moved := fs.String("scenario", "", "the scenario `FILE` where it is now, if it has moved since")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("replay: want one summary.json, comparison.json or sweep.json (see escalate help replay)")
	}
	r := replayer{path: pos[0], moved: *moved, stdout: stdout}
	if r.data, err = resultfile.ReadLimited(r.path, resultfile.MaxResultSize); err != nil {
		return err
	}
	rec, err := job.Recorded(r.path, r.data)
	if err != nil {
		return err
	}
	j := rec.Job
	r.name, r.prov = rec.Kind, rec.Provenance
	j.Workers = *workers
	if r.moved != "" {
		if len(j.Sources) != 1 {
			return usagef("replay: --scenario names one file; this %s is of %d (%s): run them from where they are now with escalate %s", r.name, len(j.Sources), r.prov.Source, j.Kind)
		}
		if err := r.checkMovedName(); err != nil {
			return err
		}
		j.Sources = []string{r.moved}
	}
	p, err := job.Prepare(j)
	if err != nil {
		return fmt.Errorf("replay: cannot load the scenario the %s names: %w%s", r.name, err, r.movedHint(err))
	}
	if got := p.Fingerprint(); got != r.prov.ScenarioSHA256 {
		return fmt.Errorf("replay: the scenario %s has changed since the %s was written (SHA-256 %.16s… now, %.16s… then); results would differ", strings.Join(j.Sources, " "), r.name, got, r.prov.ScenarioSHA256)
	}
	if err := checkBudget(p.Estimate(), *yes, "run it on the machine or cluster that first ran it"); err != nil {
		return err
	}
	prog := startProgress(stderr, "runs")
	res, err := p.Execute(ctx, func(pr job.Progress) { prog.update(pr.Done, pr.Total) })
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	fresh, np := res.File()
	if r.moved != "" {
		// The same scenario (its SHA-256 says so) read from where it is
		// now is recorded as where it was.
		np.Source, np.Command, np.Job.Sources = r.prov.Source, r.prov.Command, r.prov.Job.Sources
	}
	now, err := resultfile.Marshal(fresh)
	if err != nil {
		return err
	}
	return r.verdict(fmt.Sprintf("%d runs of %s (seed %d)", res.Runs, r.prov.Source, r.prov.Seed), r.prov.Tool, np.Tool, now)
}

// replayer re-runs one saved result.
type replayer struct {
	path   string
	data   []byte
	name   string // summary, comparison or sweep
	prov   *resultfile.Provenance
	moved  string // --scenario
	stdout io.Writer
}

// verdict says whether the new result equals the file, byte for byte, and
// lists the differences if not (an error without a message, exit 1).
func (r *replayer) verdict(what, thenTool, nowTool string, now []byte) error {
	if bytes.Equal(now, r.data) {
		fmt.Fprintf(r.stdout, "%s: replayed %s: byte-identical.\n", r.path, what)
		return nil
	}
	fmt.Fprintf(r.stdout, "%s: replayed %s: the result DIFFERS.\n", r.path, what)
	if nowTool != thenTool {
		fmt.Fprintf(r.stdout, "It was written by %s; this is %s.\n", thenTool, nowTool)
	}
	for _, d := range resultfile.Diff(r.data, now) {
		fmt.Fprintln(r.stdout, "  "+d)
	}
	return reported()
}

// checkMovedName refuses a --scenario file whose name differs from the
// scenario's recorded one: the name is the scenario's, in every result.
func (r *replayer) checkMovedName() error {
	var rec struct {
		Scenario string `json:"scenario"`
	}
	if json.Unmarshal(r.data, &rec) != nil || rec.Scenario == "" {
		return nil // the reader of the file reports what is wrong with it
	}
	if now := strings.TrimSuffix(filepath.Base(r.moved), ".toml"); now != rec.Scenario {
		return usagef("replay: --scenario %s: a scenario is named after its file, and this result's is %q: give the file back its name (%s.toml)", r.moved, rec.Scenario, rec.Scenario)
	}
	return nil
}

// movedHint suggests --scenario after err, when err says that a file was
// not found and no --scenario was given.
func (r *replayer) movedHint(err error) string {
	if r.moved != "" || !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return "; if the scenario file has moved, give its place with --scenario FILE"
}
