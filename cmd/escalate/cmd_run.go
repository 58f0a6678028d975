package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/escalate-sim/escalate/sim"
)

const runDoc = `
Simulate SCENARIO (a shipped scenario's name, or a TOML file) many times and
report the distribution of outcomes: the probability of war with its 95%
interval, the time to war, the months at war, the final stage, the cost.

Examples:
  escalate run guinea-2009
  escalate run guinea-2009 --strategy none
  escalate run guinea-2009 --set intervention.unowa.startup_delay_months=6
  escalate run my-scenario.toml --runs 100000 --format json
  escalate run guinea-2009 --out results/

With --out DIR it writes summary.json, runs.csv (one row per run and
country), months.csv (stage shares and tension quantiles by month) and
aggregates.json (counts that "escalate merge" can combine). Files appear only
when the run completes.
`

// runFlags are the flags of escalate run.
type runFlags struct {
	scenarioFlags
	runs    int64
	seed    uint64
	workers int
	format  string
	out     string
	force   bool
}

func (rf *runFlags) register(fs *flagSet) {
	rf.scenarioFlags.register(fs, true)
	fs.Int64Var(&rf.runs, "runs", 0, "number of runs (default: the scenario's runs)")
	fs.Uint64Var(&rf.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&rf.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&rf.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&rf.out, "out", "", "write summary.json, runs.csv, months.csv and aggregates.json to `DIR`")
	fs.BoolVar(&rf.force, "force", false, "replace an existing --out directory")
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var rf runFlags
	fs := newFlagSet("run", "SCENARIO [flags]", runDoc)
	rf.register(fs)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("run: want one scenario (a shipped name or a .toml file), got %d arguments (see escalate help run)", len(pos))
	}
	if err := checkFormat(rf.format); err != nil {
		return err
	}
	if rf.runs < 0 {
		return usagef("run: --runs must be positive, got %d", rf.runs)
	}
	l, err := load(pos[0], &rf.scenarioFlags, rf.strategy)
	if err != nil {
		return err
	}
	runs, seed := l.sc.Runs, l.sc.Seed
	if rf.runs > 0 {
		runs = rf.runs
	}
	if fs.isSet("seed") {
		seed = rf.seed
	}

	var out *outDir
	if rf.out != "" {
		if out, err = createOutDir(rf.out, rf.force); err != nil {
			return err
		}
		defer out.abort()
	}
	opt := sim.Options{Seed: seed, Runs: runs, Workers: rf.workers}
	var runsCSV *runsWriter
	if out != nil {
		if runsCSV, err = newRunsWriter(out, l.sc); err != nil {
			return err
		}
		opt.Records = runsCSV.write
	}
	prog := startProgress(stderr, runs, "runs")
	opt.Progress = prog.update
	start := time.Now()
	res, err := sim.Run(ctx, l.sc, opt)
	prog.finish()
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	elapsed := time.Since(start)

	sum := newSummaryFile(l, res, seed)
	if out != nil {
		if err := runsCSV.close(); err != nil {
			return err
		}
		if err := writeRunOutputs(out, sum, res); err != nil {
			return err
		}
		if err := out.commit(); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return errInterrupted
	}
	switch rf.format {
	case "json":
		return writeJSON(stdout, sum)
	case "csv":
		return writeSummaryCSV(stdout, sum)
	}
	writeTable(stdout, sum, elapsed)
	if out != nil {
		fmt.Fprintf(stdout, "\nWrote %s\n", out.final)
	}
	return nil
}

func checkFormat(f string) error {
	switch f {
	case "table", "json", "csv":
		return nil
	}
	return usagef("--format must be table, json or csv, got %q", f)
}
