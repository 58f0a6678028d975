package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// jobFlags are the flags of run, compare and sweep, which parse into a
// job.Job, and those that say what to do with its result.
type jobFlags struct {
	tableWidth int // --table-width: 0 for tables as wide as they need
	job        job.Job
	sets       multiFlag
	// events, shocks and disable are --event, --shock and --disable:
	// additions of whole entities that --set (one key of an entity the
	// file has) cannot express.
	events   listFlag
	shocks   listFlag
	disable  listFlag
	strategy string
	seed     uint64
	format   string
	out      string
	force    bool
	yes      bool
	charts   chartFlags
	// noRunsCSV (run --no-runs-csv) skips runs.csv in --out.
	noRunsCSV bool
}

// listFlag collects a repeatable flag whose values the job checks
// (--event, --shock, --disable), unlike multiFlag's PATH=VALUE.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// jobTexts are the texts that differ between run, compare and sweep:
// "per" for the runs, "capPer" for --max-runs, the usage of --out,
// --ci-width, --strategy and --country (none for run), and instead, the
// command's ways to a smaller job (for a job estimated to take too long).
var jobTexts = map[string]struct{ per, capPer, out, ciWidth, strategy, country, instead string }{
	job.Run:     {"", "", "write summary.json, runs.csv, months.csv, aggregates.json and charts to `DIR`", "add runs until the 95% interval of P(war) is narrower than `W` (e.g. 0.01)", "run the scenario's strategy `NAME` (see escalate show)", "", "use fewer --runs, a wider --ci-width or a lower --max-runs, or split it with --shard across machines"},
	job.Compare: {" per strategy", "", "write comparison.json and comparison.csv to `DIR`", "add runs until the paired 95% interval of every strategy's headline P(war) difference is narrower than `W`", "with --vary: start from strategy `NAME`", "headline outcome: war in country `ID` instead of in any country (several countries)", "use fewer --runs, strategies or --vary values, or a wider --ci-width or a lower --max-runs"},
	job.Sweep:   {" per point", " per point", "write sweep.json and sweep.csv to `DIR`", "add runs to every point until the 95% interval of each point's P(war) is narrower than `W`", "run the scenario's strategy `NAME` (see escalate show)", "outcome: war in country `ID` instead of in any country (several countries)", "use fewer --runs or fewer points (a larger STEP), or a wider --ci-width or a lower --max-runs"},
}

// register adds the flags of the command kind (run, compare or sweep).
func (f *jobFlags) register(fs *flagSet, kind string) {
	t := jobTexts[kind]
	j := &f.job
	fs.Var(&f.sets, "set", "override a key: `PATH=VALUE`, e.g. intervention.unowa.staff=30 (repeatable)")
	every := ""
	if kind != job.Run {
		every = "; every " + map[string]string{job.Compare: "strategy", job.Sweep: "point"}[kind] + " gets it"
	}
	fs.Var(&f.events, "event", "add a tension change `COUNTRY:MONTH:SIZE[:LABEL]`, e.g. guinea:12:0.3:coup (repeatable"+every+")")
	fs.Var(&f.shocks, "shock", "add a shock process `COUNTRY:RATE_PER_YEAR:MEAN_SIZE[:NAME]` (repeatable"+every+")")
	fs.Var(&f.disable, "disable", "switch intervention `ID` off (repeatable"+every+")")
	fs.IntVar(&j.Horizon, "horizon", 0, "months to simulate (default: the scenario's horizon_months)")
	fs.StringVar(&f.strategy, "strategy", "", t.strategy)
	if t.country != "" {
		fs.StringVar(&j.Country, "country", "", t.country)
	}
	fs.Int64Var(&j.Runs, "runs", 0, "number of runs"+t.per+" (default: the scenario's runs)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&j.Workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&f.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&f.out, "out", "", t.out)
	fs.BoolVar(&f.force, "force", false, "replace an existing --out directory")
	fs.Float64Var(&j.CIWidth, "ci-width", 0, t.ciWidth)
	fs.Int64Var(&j.MaxRuns, "max-runs", job.DefaultMaxRuns, "cap on the runs"+t.capPer+" --ci-width may use")
	fs.BoolVar(&f.yes, "yes", false, "run a job estimated to take more than 10 minutes")
	fs.StringVar(&j.Streams, "streams", "v1", "random streams' `VERSION`: v1, or v2 (a faster sampler of shocks; other draws, same statistics)")
	if kind != job.Run {
		fs.IntVar(&f.tableWidth, "table-width", 0, "fit tables into `COLUMNS` characters (e.g. 80 for a projector): headings wrap, or each row becomes a block")
	}
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
	j.Events, j.Shocks, j.Disable = f.events, f.shocks, f.disable
	j.Seed, j.SeedSet = f.seed, fs.isSet("seed")
	return pos, nil
}

// execute prepares the job, refuses one estimated to take too long unless
// --yes, opens the output directories (nothing runs when they cannot be
// written), runs it with a progress display, writes the files and prints
// the result.
func (f *jobFlags) execute(ctx context.Context, stdout, stderr io.Writer) error {
	p, err := job.Prepare(f.job)
	if err != nil {
		return err
	}
	if err := checkBudget(p.Estimate(), f.yes, jobTexts[f.job.Kind].instead); err != nil {
		return err
	}
	var out, plotsDir *atomicfs.Dir
	if f.out != "" {
		if out, err = atomicfs.CreateDir(ctx, "--out", f.out, f.force, f.job.Sources...); err != nil {
			return err
		}
		defer out.Abort()
	}
	if plotsDir, err = f.charts.openDir(ctx, f.force, f.job.Sources...); err != nil {
		return err
	}
	defer plotsDir.Abort()
	var runsCSV *runsWriter
	if out != nil && f.job.Kind == job.Run && !f.noRunsCSV {
		if runsCSV, err = newRunsWriter(out, p.Scenarios()[0]); err != nil {
			return err
		}
		defer runsCSV.discard()
		p.Job.Records = runsCSV.write
	}
	prog := startProgress(stderr, "runs")
	start := time.Now()
	res, err := p.Execute(ctx, func(pr job.Progress) { prog.update(pr.Done, pr.Total) })
	elapsed := time.Since(start)
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	file, prov := res.File()
	if out != nil {
		if runsCSV != nil {
			if err := runsCSV.close(*prov); err != nil {
				return err
			}
		}
		if err := f.write(ctx, out, res, file, *prov); err != nil {
			return err
		}
	}
	if err := f.charts.writeDir(plotsDir, file); err != nil {
		return err
	}
	note := res.Precision.Note()
	if f.format != "table" {
		// stdout is data for another program: the note goes to stderr.
		if note != "" {
			fmt.Fprintln(stderr, note)
		}
		if f.format == "json" {
			return resultfile.Write(stdout, file)
		}
		return writeCSV(stdout, file)
	}
	f.writeTable(narrowTo(stdout, f.tableWidth), res, elapsed)
	if note != "" {
		fmt.Fprintln(stdout, note)
	}
	f.sayWritten(stdout, res, out)
	return nil
}

// write writes the result's files into the --out directory and commits
// it: a run's summary.json, months.csv, aggregates.json and runs.csv, or
// a comparison's or sweep's NAME.json and NAME.csv; and the charts in
// plots/ (not a shard's: they would show a part of the runs; merge draws
// them).
func (f *jobFlags) write(ctx context.Context, out *atomicfs.Dir, res *job.Result, file any, prov resultfile.Provenance) error {
	var err error
	switch {
	case res.Summary != nil:
		err = writeRunOutputs(out, res.Summary, res.Aggregates)
	default:
		err = writeResult(out, resultfile.KindOf(file), file, prov)
	}
	if err != nil {
		return err
	}
	if !f.charts.noPlots && f.job.Shard == nil {
		if err := out.Write("plots", func(dir string) error { return f.charts.writeInto(dir, file) }); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	return out.Commit()
}

// writeCSV writes the CSV form of a result file.
func writeCSV(w io.Writer, file any) error {
	switch r := file.(type) {
	case *resultfile.Summary:
		return resultfile.WriteSummaryCSV(w, r.Summary)
	case *resultfile.Comparison:
		return resultfile.WriteComparisonCSV(w, r.ComparisonSummary)
	}
	return resultfile.WriteSweepCSV(w, file.(*resultfile.Sweep).SweepSummary)
}

// writeTable prints the table of a result.
func (f *jobFlags) writeTable(w io.Writer, res *job.Result, elapsed time.Duration) {
	switch {
	case res.Summary != nil:
		writeTable(w, res.Summary, elapsed)
		f.sayShard(w, res)
	case res.Comparison != nil:
		c := res.Comparison
		writeComparisonTable(w, c.ComparisonSummary, len(f.job.Sources) == 1, f.strategy, c.Provenance.Overrides)
	default:
		writeSweepTable(w, res.Sweep, f.job.Country != "")
	}
}

// sayShard says which runs a shard holds.
func (f *jobFlags) sayShard(w io.Writer, res *job.Result) {
	sh := f.job.Shard
	if sh == nil {
		return
	}
	runs := res.Summary.Provenance.Runs
	if res.Runs == 0 {
		fmt.Fprintf(w, "This is shard %d/%d: it holds none of the %d runs (more shards than runs), so the figures above mean nothing. Combine the shards with escalate merge.\n", sh.Index, sh.Count, runs)
		return
	}
	fmt.Fprintf(w, "This is shard %d/%d: runs %d to %d of %d. Combine the shards with escalate merge.\n", sh.Index, sh.Count, res.First, res.First+res.Runs-1, runs)
}

// sayWritten says where the result's files went.
func (f *jobFlags) sayWritten(w io.Writer, res *job.Result, out *atomicfs.Dir) {
	switch {
	case out == nil:
	case res.Summary != nil && !f.charts.noPlots && f.job.Shard == nil:
		fmt.Fprintf(w, "Wrote %s (charts in %s)\n", out.Name(), filepath.Join(out.Name(), "plots"))
	default:
		fmt.Fprintf(w, "Wrote %s\n", out.Name())
	}
	if f.charts.dir != "" {
		fmt.Fprintf(w, "Wrote charts to %s\n", filepath.Clean(f.charts.dir))
	}
}

// checkBudget refuses a job whose estimated time exceeds
// job.PatienceLimit unless yes is set, with the estimate and what to do
// instead.
func checkBudget(e job.Estimate, yes bool, instead string) error {
	if yes || !e.TooLong() {
		return nil
	}
	return usagef("this job is %s; add --yes to run it anyway, or %s", e, instead)
}

func checkFormat(f string) error {
	switch f {
	case "table", "json", "csv":
		return nil
	}
	return usagef("--format must be table, json or csv, got %q", f)
}
