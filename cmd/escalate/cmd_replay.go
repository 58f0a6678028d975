package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/escalate-sim/escalate/explore/study"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

const replayDoc = `
Re-run the job that wrote a summary.json, comparison.json, sweep.json or explore.json,
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
  escalate explore guinea-2009 --samples 64 --runs 200 --out ex
  escalate replay ex/explore.json
`

func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "SUMMARY.json | comparison.json | sweep.json | explore.json", replayDoc)
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	yes := fs.Bool("yes", false, "replay a job estimated to take more than 10 minutes")
	moved := fs.String("scenario", "", "the scenario `FILE` where it is now, if it has moved since")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("replay: want one summary.json, comparison.json, sweep.json or explore.json (see escalate help replay)")
	}
	r := replayer{path: pos[0], stdout: stdout}
	if r.data, err = resultfile.ReadLimited(r.path, resultfile.MaxResultSize); err != nil {
		return err
	}
	if j, err := study.RecordedJob(r.path, r.data); err != nil || j != nil {
		if err != nil {
			return err
		}
		return replayExplore(ctx, &r, j, *moved, *workers, *yes, stderr)
	}
	rec, err := job.Recorded(r.path, r.data)
	if err != nil {
		return err
	}
	p, err := rec.Prepare(*moved, *workers)
	if err != nil {
		return err
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
	now, err := rec.Encode(res)
	if err != nil {
		return err
	}
	_, np := res.File()
	rp := rec.Provenance
	return r.verdict(fmt.Sprintf("%d runs of %s (seed %d)", res.Runs, rp.Source, rp.Seed), rp.Tool, np.Tool, now)
}

// replayer re-runs one saved result.
type replayer struct {
	path   string
	data   []byte
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
