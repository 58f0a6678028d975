package main

import (
	"context"
	"fmt"
	"io"
	"math/bits"
	"path/filepath"
	"runtime"
	"strings"
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
  escalate run guinea-2009 --ci-width 0.005
  escalate run guinea-2009 --out results/
  escalate run guinea-2009 --plots charts/

With --out DIR it writes summary.json, runs.csv (one row per run and
country), months.csv (stage shares and tension quantiles by month),
aggregates.json (counts that "escalate merge" combines exactly) and the
charts in DIR/plots. Files appear only when the run completes. With
--shard I/N it runs only the I-th of N equal parts of the runs (I from 0),
for clusters; merge the parts with "escalate merge".
`

// runFlags are the flags of escalate run.
type runFlags struct {
	scenarioFlags
	runs     int64
	seed     uint64
	workers  int
	format   string
	out      string
	force    bool
	ciWidth  float64
	maxRuns  int64
	shardArg string
	yes      bool
	noRuns   bool
	charts   chartFlags
}

func (rf *runFlags) register(fs *flagSet) {
	rf.scenarioFlags.register(fs, true)
	fs.Int64Var(&rf.runs, "runs", 0, "number of runs (default: the scenario's runs)")
	fs.Uint64Var(&rf.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&rf.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&rf.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&rf.out, "out", "", "write summary.json, runs.csv, months.csv, aggregates.json and charts to `DIR`")
	fs.BoolVar(&rf.force, "force", false, "replace an existing --out directory")
	fs.Float64Var(&rf.ciWidth, "ci-width", 0, "add runs until the 95% interval of P(war) is narrower than `W` (e.g. 0.01)")
	fs.Int64Var(&rf.maxRuns, "max-runs", 10_000_000, "cap on the runs --ci-width may use")
	fs.StringVar(&rf.shardArg, "shard", "", "run only part `I/N` of the runs (I = 0..N-1), for merging later")
	rf.charts.register(fs, true)
	fs.BoolVar(&rf.noRuns, "no-runs-csv", false, "with --out, skip runs.csv (one row per run and country; about 40 bytes a row)")
	fs.BoolVar(&rf.yes, "yes", false, "run a job estimated to take more than 10 minutes")
}

// shard is a part I of N of a run's indices.
type shard struct{ index, count int64 }

func parseShard(s string) (shard, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := parseDecimal(i)
	b, err2 := parseDecimal(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 0 || a >= b {
		return shard{}, usagef("--shard wants I/N with 0 <= I < N, e.g. --shard 0/4, got %q", s)
	}
	return shard{a, b}, nil
}

// span returns the run indices [first, first+n) of the shard out of runs.
func (s shard) span(runs int64) (first, n int64) {
	lo := mulDiv(s.index, runs, s.count)
	hi := mulDiv(s.index+1, runs, s.count)
	return lo, hi - lo
}

// mulDiv returns a*b/c for 0 <= a <= c and b >= 0 without overflow: the
// product is taken in 128 bits, and the quotient is at most b.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
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
	if err := checkPrecisionFlags(rf.ciWidth, rf.maxRuns, fs.isSet("max-runs")); err != nil {
		return err
	}
	if err := rf.charts.check(rf.out); err != nil {
		return err
	}
	var sh *shard
	if rf.shardArg != "" {
		s, err := parseShard(rf.shardArg)
		if err != nil {
			return err
		}
		if rf.ciWidth > 0 {
			return usagef("--shard and --ci-width do not mix: a shard cannot know when the whole has enough runs")
		}
		sh = &s
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

	first, count := int64(0), runs
	if sh != nil {
		first, count = sh.span(runs)
	}
	budgetRuns := count
	if rf.ciWidth > 0 {
		budgetRuns = max(count, rf.maxRuns)
	}
	if err := checkBudget(budgetRuns, []*sim.Scenario{l.sc}, rf.workers, rf.yes,
		"use fewer --runs, a wider --ci-width or a lower --max-runs, or split it with --shard across machines"); err != nil {
		return err
	}

	var out *outDir
	if rf.out != "" {
		if out, err = createOutDir(ctx, "--out", rf.out, rf.force, pos[0]); err != nil {
			return err
		}
		defer out.abort()
	}
	plotsDir, err := rf.charts.openDir(ctx, rf.force, pos[0])
	if err != nil {
		return err
	}
	defer plotsDir.abort()
	opt := sim.Options{Seed: seed, Workers: rf.workers}
	var runsCSV *runsWriter
	if out != nil && !rf.noRuns {
		if runsCSV, err = newRunsWriter(out, l.sc); err != nil {
			return err
		}
		defer runsCSV.discard()
		opt.Records = runsCSV.write
	}

	start := time.Now()
	var res *sim.Result
	expected := count
	if rf.ciWidth > 0 {
		expected = rf.maxRuns
	}
	prog := startProgress(stderr, expected, "runs")
	var doneBefore int64
	opt.Progress = func(d int64) { prog.update(doneBefore + d) }
	batch := func(from, n int64) error {
		o := opt
		o.FirstRun, o.Runs = first+from, n
		r, err := sim.Run(ctx, l.sc, o)
		if err != nil {
			return err
		}
		doneBefore += n
		if res == nil {
			res = r
			return nil
		}
		return res.Merge(r)
	}
	width := func() float64 {
		s := sim.Summarize(l.sc, res, seed)
		ci := headlineCI(s)
		return ci[1] - ci[0]
	}
	total, err := precision{rf.ciWidth, rf.maxRuns}.run(ctx, count, batch, width)
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	if sh == nil {
		runs = total
	}
	elapsed := time.Since(start)

	sum := newSummaryFile(l, res, seed, runs)
	if sh != nil {
		sum.Shard = &shardInfo{Index: sh.index, Count: sh.count}
	}
	if out != nil {
		if runsCSV != nil {
			if err := runsCSV.close(sum.Provenance); err != nil {
				return err
			}
		}
		if err := writeRunOutputs(out, l.sc, sum, res, sh); err != nil {
			return err
		}
		// A shard's charts would show a part of the runs: merge draws them.
		if !rf.charts.noPlots && sh == nil {
			if err := out.write("plots", func(dir string) error { return writeSummaryChartsInto(dir, sum, &rf.charts) }); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return errInterrupted
		}
		if err := out.commit(); err != nil {
			return err
		}
	}
	if err := rf.charts.writeDir(plotsDir, func(dir string) error { return writeSummaryChartsInto(dir, sum, &rf.charts) }); err != nil {
		return err
	}
	note := precisionNote(rf.ciWidth, total, count, width())
	switch rf.format {
	case "json":
		sayPrecision(rf.format, note, stdout, stderr)
		return writeJSON(stdout, sum)
	case "csv":
		sayPrecision(rf.format, note, stdout, stderr)
		return writeSummaryCSV(stdout, sum)
	}
	writeTable(stdout, sum, elapsed)
	sayPrecision(rf.format, note, stdout, stderr)
	if sh != nil {
		if count == 0 {
			fmt.Fprintf(stdout, "This is shard %d/%d: it holds none of the %d runs (more shards than runs), so the figures above mean nothing. Combine the shards with escalate merge.\n", sh.index, sh.count, runs)
		} else {
			fmt.Fprintf(stdout, "This is shard %d/%d: runs %d to %d of %d. Combine the shards with escalate merge.\n", sh.index, sh.count, first, first+count-1, runs)
		}
	}
	if out != nil {
		if rf.charts.noPlots || sh != nil {
			fmt.Fprintf(stdout, "Wrote %s\n", out.name)
		} else {
			fmt.Fprintf(stdout, "Wrote %s (charts in %s)\n", out.name, filepath.Join(out.name, "plots"))
		}
	}
	if rf.charts.dir != "" {
		fmt.Fprintf(stdout, "Wrote charts to %s\n", filepath.Clean(rf.charts.dir))
	}
	return nil
}

// headlineCI is the interval of the headline P(war): any country at war,
// or the only country.
func headlineCI(s *sim.Summary) [2]float64 {
	if s.AnyWar != nil {
		return s.AnyWar.PWarCI95
	}
	return s.Countries[0].PWarCI95
}

func checkFormat(f string) error {
	switch f {
	case "table", "json", "csv":
		return nil
	}
	return usagef("--format must be table, json or csv, got %q", f)
}
