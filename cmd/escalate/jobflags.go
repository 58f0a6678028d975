package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// jobFlags are the flags of run, compare and sweep, which parse into a
// job.Job, and those that say what to do with its result.
type jobFlags struct {
	job      job.Job
	sets     multiFlag
	strategy string
	seed     uint64
	format   string
	out      string
	force    bool
	yes      bool
	charts   chartFlags
}

// jobTexts are the usage texts that differ between commands.
type jobTexts struct {
	runs, out, ciWidth, maxRuns, strategy, country string
	// instead names the command's ways to a smaller job, for a job
	// estimated to take too long.
	instead string
}

func (f *jobFlags) register(fs *flagSet, t jobTexts) {
	j := &f.job
	fs.Var(&f.sets, "set", "override a key: `PATH=VALUE`, e.g. intervention.unowa.staff=30 (repeatable)")
	fs.IntVar(&j.Horizon, "horizon", 0, "months to simulate (default: the scenario's horizon_months)")
	fs.StringVar(&f.strategy, "strategy", "", t.strategy)
	if t.country != "" {
		fs.StringVar(&j.Country, "country", "", t.country)
	}
	fs.Int64Var(&j.Runs, "runs", 0, t.runs)
	fs.Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&j.Workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&f.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&f.out, "out", "", t.out)
	fs.BoolVar(&f.force, "force", false, "replace an existing --out directory")
	fs.Float64Var(&j.CIWidth, "ci-width", 0, t.ciWidth)
	fs.Int64Var(&j.MaxRuns, "max-runs", job.DefaultMaxRuns, t.maxRuns)
	fs.BoolVar(&f.yes, "yes", false, "run a job estimated to take more than 10 minutes")
	f.charts.register(fs, true)
}

// parse parses the command line into the job and checks the flags that
// are the command line's own; it returns the positional arguments.
func (f *jobFlags) parse(fs *flagSet, kind string, args []string, stdout io.Writer) ([]string, error) {
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return nil, err
	}
	if err := checkFormat(f.format); err != nil {
		return nil, err
	}
	if fs.isSet("max-runs") && f.job.CIWidth == 0 {
		return nil, usagef("--max-runs caps --ci-width; without --ci-width use --runs")
	}
	if err := f.charts.check(f.out); err != nil {
		return nil, err
	}
	j := &f.job
	j.Kind, j.Sources, j.Sets, j.Strategy = kind, pos, f.sets, f.strategy
	j.Seed, j.SeedSet = f.seed, fs.isSet("seed")
	return pos, nil
}

// execute prepares the job, refuses one estimated to take too long unless
// --yes, opens the output directories (nothing runs when they cannot be
// written) and runs it with a progress display. The directories are
// aborted unless committed; the caller defers closing them.
func (f *jobFlags) execute(ctx context.Context, stderr io.Writer, instead string, setup func(*job.Prepared, *outputs) error) (*job.Result, *outputs, error) {
	p, err := job.Prepare(f.job)
	if err != nil {
		return nil, nil, err
	}
	if err := checkBudget(p.Estimate(), f.yes, instead); err != nil {
		return nil, nil, err
	}
	o := &outputs{}
	if f.out != "" {
		if o.out, err = atomicfs.CreateDir("--out", f.out, f.force); err != nil {
			return nil, nil, err
		}
	}
	if o.plots, err = f.charts.openDir(f.force); err != nil {
		o.Abort()
		return nil, nil, err
	}
	if setup != nil {
		if err := setup(p, o); err != nil {
			o.Abort()
			return nil, nil, err
		}
	}
	prog := startProgress(stderr, "runs")
	start := time.Now()
	res, err := p.Execute(ctx, func(pr job.Progress) { prog.update(pr.Done, pr.Total) })
	o.elapsed = time.Since(start)
	prog.finish()
	if err != nil {
		o.Abort()
		return nil, nil, failed(ctx, err)
	}
	return res, o, nil
}

// outputs are the directories a job's result goes to.
type outputs struct {
	out, plots *atomicfs.Dir
	elapsed    time.Duration
}

func (o *outputs) Abort() {
	o.out.Abort()
	o.plots.Abort()
}

// checkBudget refuses a job whose estimated time exceeds
// job.PatienceLimit unless yes is set, with the estimate and what to do
// instead (instead names the command's own ways to a smaller job).
func checkBudget(e job.Estimate, yes bool, instead string) error {
	if yes || !e.TooLong() {
		return nil
	}
	return usagef("this job is %s; add --yes to run it anyway, or %s", e, instead)
}

// finish writes a comparison's or sweep's files (NAME.json, NAME.csv and
// the charts) and prints the result in the chosen format, then what was
// written. table prints the table.
func (f *jobFlags) finish(o *outputs, res *job.Result, name string, v any, p resultfile.Provenance, writeCSV func(io.Writer) error, charts func(dir string) error, table func(io.Writer), stdout, stderr io.Writer) error {
	if o.out != nil {
		if err := writeResult(o.out, name, v, p, writeCSV, f.charts.inOut(charts)); err != nil {
			return err
		}
	}
	if err := f.charts.writeDir(o.plots, charts); err != nil {
		return err
	}
	note := res.Precision.Note()
	switch f.format {
	case "json":
		sayPrecision(f.format, note, stdout, stderr)
		return resultfile.Write(stdout, v)
	case "csv":
		sayPrecision(f.format, note, stdout, stderr)
		return writeCSV(stdout)
	}
	table(stdout)
	sayPrecision(f.format, note, stdout, stderr)
	if o.out != nil {
		fmt.Fprintf(stdout, "Wrote %s\n", o.out.Name())
	}
	f.charts.sayWritten(stdout)
	return nil
}

// sayPrecision prints what --ci-width did (note, possibly empty): after a
// table on stdout, and for JSON or CSV on stderr, since stdout is then
// data for another program and a person must still see that the cap
// stopped the runs.
func sayPrecision(format, note string, stdout, stderr io.Writer) {
	if note == "" {
		return
	}
	w := stdout
	if format != "table" {
		w = stderr
	}
	fmt.Fprintln(w, note)
}

func checkFormat(f string) error {
	switch f {
	case "table", "json", "csv":
		return nil
	}
	return usagef("--format must be table, json or csv, got %q", f)
}

// sayWritten prints where --plots wrote the charts.
func (cf *chartFlags) sayWritten(stdout io.Writer) {
	if cf.dir != "" {
		fmt.Fprintf(stdout, "Wrote charts to %s\n", filepath.Clean(cf.dir))
	}
}
