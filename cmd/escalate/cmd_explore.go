package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/escalate-sim/escalate/explore/study"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/plots"
	"github.com/escalate-sim/escalate/scenarios"
)

const exploreDoc = `
Explore a scenario under deep uncertainty. The keys of its [uncertain] table
(and --uncertain PATH=DIST) are drawn by a design; at each point, every
strategy of the file is run on the same seed (common random numbers across
points and strategies), through the same overrides as --set. The report
gives global sensitivity (Sobol indices with bootstrap intervals for
--design sobol, Morris mu* and sigma for --design morris) of P(war), months
at war and cost, per strategy and for each strategy's paired difference from
the first (the baseline); the share of their variance that is Monte Carlo
noise within a point; how robust each strategy is across the futures
(mean, 10th and 90th percentile of P(war), the share of futures with P(war)
at most --satisfice, regret against the best strategy in each future);
and, with --find, the PRIM box of the futures where a condition holds.

--samples is the number of points for lhs, of base samples for sobol
(samples x (k+2) points for k uncertain keys; use a power of two) and of
trajectories for morris (samples x (k+1) points).

Distributions: uniform=[lo,hi], triangular=[lo,mode,hi],
normal=[mean,sd,lo,hi] (truncated), beta=[alpha,beta,lo,hi] (scaled),
loguniform=[lo,hi], integer=[lo,hi], choice=[v1,v2,...]; on the command
line also KIND:A:B..., which needs no quotes: uniform:0.03:0.09.

--find compares outcomes (p_war, war_months, cost, of the baseline or of
STRATEGY.outcome) with a number or each other: "p_war > 0.3",
"historical.p_war > none.p_war".

Example:
  escalate explore guinea-2009 --design sobol --samples 256 --runs 1000 \
    --uncertain country.guinea.volatility=uniform:0.03:0.09 \
    --uncertain intervention.unowa.startup_delay_months=integer:0:6 \
    --find 'historical.p_war > 0.3'
`

func cmdExplore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		uncertain                 multiFlag
		design, format, out, find string
		country, output           string
		samples, workers          int
		runs                      int64
		seed                      uint64
		satisfice                 float64
		force, charts             bool
	)
	fs := newFlagSet("explore", "SCENARIO --design lhs|sobol|morris --samples N [flags]", exploreDoc)
	fs.Var(&uncertain, "uncertain", "make a key uncertain: `PATH=DIST`, e.g. country.guinea.volatility=uniform=[0.03,0.09] (repeatable; replaces the file's entry for PATH)")
	fs.StringVar(&design, "design", "sobol", "design: lhs, sobol or morris")
	fs.IntVar(&samples, "samples", 256, "points (lhs), base samples (sobol) or trajectories (morris)")
	fs.Int64Var(&runs, "runs", 1000, "runs per point and strategy")
	fs.Uint64Var(&seed, "seed", 0, "random seed of the design and the runs (default: the scenario's seed)")
	fs.Float64Var(&satisfice, "satisfice", math.NaN(), "report the share of futures with P(war) at most `X`")
	fs.StringVar(&find, "find", "", "scenario discovery: the PRIM box of the futures where `CONDITION` holds, e.g. \"p_war > 0.3\"")
	fs.StringVar(&country, "country", "", "headline outcome: war in country `ID` instead of in any country (several countries)")
	fs.StringVar(&output, "output", "p_war", "outcome whose sensitivity the table shows: p_war, war_months or cost (JSON has all)")
	fs.IntVar(&workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&format, "format", "table", "output format: table or json")
	fs.StringVar(&out, "out", "", "write experiments.csv (streamed), explore.json and charts to `DIR`")
	fs.BoolVar(&force, "force", false, "replace an existing --out directory")
	fs.BoolVar(&charts, "charts", true, "with --out, draw the charts (PNG)")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("explore: want one scenario (see escalate help explore)")
	}
	if format != "table" && format != "json" {
		return usagef("explore: --format must be table or json, got %q", format)
	}
	if output != "p_war" && output != "war_months" && output != "cost" {
		return usagef("explore: --output must be p_war, war_months or cost, got %q", output)
	}
	file, err := scenarios.Load(pos[0])
	if err != nil {
		return err
	}
	var extra []scenarios.Uncertain
	for _, s := range uncertain {
		u, err := scenarios.ParseUncertain(s)
		if err != nil {
			return usagef("explore: %v", err)
		}
		extra = append(extra, u)
	}
	us, err := file.WithUncertain(extra...)
	if err != nil {
		return err
	}
	base, err := file.Scenario()
	if err != nil {
		return err
	}
	if !fs.isSet("seed") {
		seed = base.Seed
	}
	st, err := study.New(study.Config{File: file, Uncertain: us, Design: design, Samples: samples, Runs: runs,
		Seed: seed, Country: country, Satisfice: satisfice, Find: find, Workers: workers})
	if err != nil {
		return usagef("%v", err)
	}
	var (
		dir  *exploreDir
		csvw *study.CSVWriter
	)
	sink := func(study.PointResult) error { return nil }
	if out != "" {
		if dir, err = newExploreDir(out, force); err != nil {
			return err
		}
		defer dir.abort()
		if csvw, err = study.NewCSVWriter(dir.csv, st); err != nil {
			return err
		}
		sink = csvw.Write
	}
	p := startProgress(stderr, "points")
	rep, err := st.Run(ctx, sink, func(done int) { p.update(int64(done), int64(len(st.Points))) })
	p.finish()
	if err != nil {
		return failed(ctx, err)
	}
	rep.Args = append([]string{"escalate", "explore"}, args...)
	rep.Version = job.Tool()
	if dir != nil {
		if err := csvw.Flush(); err != nil {
			return fmt.Errorf("explore: experiments.csv: %w", err)
		}
		if err := dir.finish(rep, charts); err != nil {
			return err
		}
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	writeExploreTable(stdout, rep, output)
	return nil
}

// exploreDir writes an explore output directory: into DIR.partial while
// the study runs (experiments.csv is streamed there), renamed to DIR when
// everything is written, so that DIR never holds half a result.
type exploreDir struct {
	final, tmp string
	force      bool
	f          *os.File
	csv        *bufio.Writer
	done       bool
}

func newExploreDir(out string, force bool) (*exploreDir, error) {
	if fi, err := os.Stat(out); err == nil {
		if !fi.IsDir() {
			return nil, usagef("explore: --out %s is a file", out)
		}
		if !force {
			return nil, usagef("explore: --out %s exists; use --force to replace it", out)
		}
	}
	tmp := filepath.Clean(out) + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("explore: --out: %w", err)
	}
	f, err := os.Create(filepath.Join(tmp, "experiments.csv"))
	if err != nil {
		return nil, fmt.Errorf("explore: --out: %w", err)
	}
	return &exploreDir{final: out, tmp: tmp, force: force, f: f, csv: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (d *exploreDir) finish(rep *study.Report, charts bool) error {
	if err := d.csv.Flush(); err != nil {
		return err
	}
	if err := d.f.Close(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(d.tmp, "explore.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if charts {
		caption := fmt.Sprintf("%s · %s · %s design, %d points × %d runs · seed %d", rep.Version, rep.Scenario, rep.Design, rep.Points, rep.Runs, rep.Seed)
		if _, err := plots.WriteExplore(d.tmp, rep, plots.Options{Caption: caption}); err != nil {
			return fmt.Errorf("explore: charts: %w", err)
		}
	}
	if d.force {
		if err := os.RemoveAll(d.final); err != nil {
			return err
		}
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		return err
	}
	d.done = true
	return nil
}

func (d *exploreDir) abort() {
	if !d.done {
		d.f.Close()
		os.RemoveAll(d.tmp)
	}
}

func writeExploreTable(w io.Writer, r *study.Report, output string) {
	fmt.Fprintf(w, "Exploring %s: %s design, %d samples (%d points) x %d runs x %d strategies, seed %d\n",
		r.Scenario, r.Design, r.Samples, r.Points, r.Runs, len(r.Strategies), r.Seed)
	fmt.Fprintf(w, "Outcome: P(%s); baseline: %s\n\nUncertain keys:\n", r.Headline, r.Baseline)
	width := 0
	for _, u := range r.Uncertain {
		width = max(width, len(u.Path))
	}
	for _, u := range r.Uncertain {
		fmt.Fprintf(w, "  %-*s  %s\n", width, u.Path, u.Distribution)
	}
	for _, s := range r.Sensitivity {
		if s.Output != output {
			continue
		}
		noise := "unknown"
		if s.NoiseShare != nil {
			noise = fmt.Sprintf("%.1f%%", 100**s.NoiseShare)
		}
		fmt.Fprintf(w, "\nSensitivity of %s, %s (Monte Carlo noise: %s of its variance across futures):\n", outputLabel(s.Output), s.Strategy, noise)
		if r.Design == "sobol" {
			if s.Variance == 0 {
				fmt.Fprintln(w, "  does not vary across the futures: every index is 0")
				continue
			}
			fmt.Fprintf(w, "  %-*s  %-22s  %s\n", width, "parameter", "first order [95% CI]", "total [95% CI]")
			for _, p := range s.Parameters {
				fmt.Fprintf(w, "  %-*s  %6.3f [%6.3f, %6.3f]  %6.3f [%6.3f, %6.3f]\n", width, p.Path,
					*p.FirstOrder, p.FirstCI[0], p.FirstCI[1], *p.Total, p.TotalCI[0], p.TotalCI[1])
			}
		} else {
			fmt.Fprintf(w, "  %-*s  %-28s  %s\n", width, "parameter", "mu* [95% CI]", "sigma  (change over the key's full range)")
			for _, p := range s.Parameters {
				fmt.Fprintf(w, "  %-*s  %8.4g [%8.4g, %8.4g]  %8.4g\n", width, p.Path, *p.MuStar, p.MuStarCI[0], p.MuStarCI[1], *p.Sigma)
			}
		}
	}
	fmt.Fprintf(w, "\nRobustness across futures (P(%s); regret: P(war) minus the best strategy's in the same future):\n", r.Headline)
	fmt.Fprintf(w, "  %-4s  %-12s  %-22s  %6s  %6s  %11s  %-24s  %s\n", "rank", "strategy", "mean [95% CI]", "p10", "p90", "satisficing", "regret mean [95% CI]", "regret max")
	for _, x := range r.Robustness {
		sat := "-"
		if x.Satisficing != nil {
			sat = fmt.Sprintf("%.1f%%", 100**x.Satisficing)
		}
		fmt.Fprintf(w, "  %-4d  %-12s  %5.1f%% [%5.1f, %5.1f]  %5.1f%%  %5.1f%%  %11s  %5.2f%% [%5.2f, %5.2f]  %9.1f%%\n", x.Rank, x.Strategy,
			100*x.PWarMean, 100*x.PWarMeanCI[0], 100*x.PWarMeanCI[1], 100*x.PWarP10, 100*x.PWarP90, sat,
			100*x.RegretMean, 100*x.RegretMeanCI[0], 100*x.RegretMeanCI[1], 100*x.RegretMax)
	}
	if d := r.Discovery; d != nil {
		fmt.Fprintf(w, "\nScenario discovery (PRIM) for %q: it holds in %d of %d futures (%.0f%%).\n", d.Condition, d.Cases, r.Points, 100*d.Share)
		fmt.Fprintf(w, "  Box: %s\n", d.Summary)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, s := range r.Warnings {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
}

func outputLabel(o string) string {
	switch o {
	case "p_war":
		return "P(war)"
	case "war_months":
		return "months at war"
	}
	return "cost"
}
