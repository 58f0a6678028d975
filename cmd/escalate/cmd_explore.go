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
	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
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

explore.json records the job as a value: escalate replay DIR/explore.json
runs it again and confirms the same bytes. --shard I/N --out DIR runs only
part I of N of the design's points (I from 0) into DIR/shard.json; escalate
merge of the N directories writes the explore.json, experiments.csv and
charts of one process, byte for byte. Run the shards and the merge from the
same directory when the scenario is a path.

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
		country, output, shardArg string
		samples, workers          int
		runs                      int64
		seed                      uint64
		satisfice                 float64
		force, charts, yes        bool
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
	fs.StringVar(&shardArg, "shard", "", "run only part `I/N` of the design's points (I = 0..N-1) into --out, for escalate merge")
	fs.BoolVar(&yes, "yes", false, "run an exploration estimated to take more than 10 minutes")
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
	var shard *resultfile.Shard
	if shardArg != "" {
		if shard, err = parseShard(shardArg); err != nil {
			return err
		}
		if out == "" {
			return usagef("explore: --shard %s needs --out DIR, the shard's directory for escalate merge", shardArg)
		}
		if format != "table" {
			return usagef("explore: --shard %s prints no report (a shard has only part of the points): --format %s is for one process or escalate merge", shardArg, format)
		}
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
	j, err := study.NewJob(pos[0], st)
	if err != nil {
		return err
	}
	lo, hi := 0, len(st.Points)
	if shard != nil {
		j.Shard = shard
		lo, hi = j.Span(len(st.Points))
	}
	if err := checkExploreBudget(st, lo, hi, yes, "ask for fewer --samples or --runs, or split it with --shard I/N"); err != nil {
		return err
	}
	if shard != nil {
		return exploreShard(ctx, st, j, out, force, stdout, stderr)
	}
	var od *exploreOut
	sink := func(study.PointResult) error { return nil }
	if out != "" {
		if od, err = openExploreOut(ctx, out, force, st, pos[0]); err != nil {
			return err
		}
		defer od.abort()
		sink = od.csv.Write
	}
	p := startProgress(stderr, "points")
	rep, err := st.Run(ctx, sink, func(done int) { p.update(int64(done), int64(len(st.Points))) })
	p.finish()
	if err != nil {
		return failed(ctx, err)
	}
	completeExplore(rep, j)
	if od != nil {
		if err := od.commit(rep, charts); err != nil {
			return err
		}
	}
	return printExplore(stdout, rep, format, output)
}

// completeExplore records the job (as a whole, without its shard) and the
// tool in the report.
func completeExplore(rep *study.Report, j *study.Job) {
	whole := *j
	whole.Shard = nil
	rep.Job = &whole
	rep.Command = whole.Command()
	rep.Version = job.Tool()
}

// encodeExplore is explore.json's bytes: replay compares them.
func encodeExplore(rep *study.Report) ([]byte, error) { return resultfile.Marshal(rep) }

func printExplore(w io.Writer, rep *study.Report, format, output string) error {
	if format == "json" {
		b, err := encodeExplore(rep)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	writeExploreTable(w, rep, output)
	return nil
}

// writeExploreDir writes explore.json and the charts beside the streamed
// experiments.csv and commits the directory.
func writeExploreDir(dir *atomicfs.Dir, rep *study.Report, charts bool) error {
	b, err := encodeExplore(rep)
	if err != nil {
		return err
	}
	if err := dir.WriteFile("explore.json", b); err != nil {
		return err
	}
	if charts {
		caption := fmt.Sprintf("%s · %s · %s design, %d points × %d runs · seed %d", rep.Version, rep.Scenario, rep.Design, rep.Points, rep.Runs, rep.Seed)
		if err := dir.Write("", func(d string) error {
			_, err := plots.WriteExplore(d, rep, plots.Options{Caption: caption})
			return err
		}); err != nil {
			return fmt.Errorf("explore: charts: %w", err)
		}
	}
	return dir.Commit()
}

// exploreShard runs the shard's points into DIR/shard.json.
func exploreShard(ctx context.Context, st *study.Study, j *study.Job, out string, force bool, stdout, stderr io.Writer) error {
	dir, err := atomicfs.CreateDir(ctx, "--out", out, force, j.Source)
	if err != nil {
		return err
	}
	defer dir.Abort()
	f, err := createBuffered(dir, "shard.json")
	if err != nil {
		return err
	}
	defer f.f.Close()
	sw, err := study.NewShardWriter(f.w, job.Tool(), j)
	if err != nil {
		return err
	}
	lo, hi := j.Span(len(st.Points))
	p := startProgress(stderr, "points")
	err = st.RunPoints(ctx, lo, hi, sw.Write, func(done int) { p.update(int64(done), int64(hi-lo)) })
	p.finish()
	if err != nil {
		return failed(ctx, err)
	}
	if err := sw.Close(); err != nil {
		return fmt.Errorf("explore: shard.json: %w", err)
	}
	if err := f.close(); err != nil {
		return fmt.Errorf("explore: shard.json: %w", err)
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	sh := j.Shard
	if hi == lo {
		fmt.Fprintf(stdout, "Shard %d/%d holds none of the design's %d points (more shards than points). Combine the shards with escalate merge.\n", sh.Index, sh.Count, len(st.Points))
	} else {
		which := fmt.Sprintf("points %d to %d", lo+1, hi)
		if hi == lo+1 {
			which = fmt.Sprintf("point %d", hi)
		}
		fmt.Fprintf(stdout, "Shard %d/%d: %s of %d, written to %s. Combine the shards with escalate merge.\n", sh.Index, sh.Count, which, len(st.Points), filepath.Clean(out))
	}
	return nil
}

// bufferedFile is a file being written in an output directory.
// exploreOut is an exploration's --out directory while it is written:
// experiments.csv streams in as points finish; explore.json and the charts
// come at the end.
type exploreOut struct {
	dir  *atomicfs.Dir
	csvf *bufferedFile
	csv  *study.CSVWriter
}

func openExploreOut(ctx context.Context, out string, force bool, st *study.Study, inputs ...string) (*exploreOut, error) {
	dir, err := atomicfs.CreateDir(ctx, "--out", out, force, inputs...)
	if err != nil {
		return nil, err
	}
	csvf, err := createBuffered(dir, "experiments.csv")
	if err != nil {
		dir.Abort()
		return nil, err
	}
	csv, err := study.NewCSVWriter(csvf.w, st)
	if err != nil {
		csvf.f.Close()
		dir.Abort()
		return nil, err
	}
	return &exploreOut{dir: dir, csvf: csvf, csv: csv}, nil
}

// commit finishes experiments.csv, writes the report and the charts, and
// puts the directory in place.
func (o *exploreOut) commit(rep *study.Report, charts bool) error {
	if err := o.csv.Flush(); err != nil {
		return fmt.Errorf("experiments.csv: %w", err)
	}
	if err := o.csvf.close(); err != nil {
		return fmt.Errorf("experiments.csv: %w", err)
	}
	return writeExploreDir(o.dir, rep, charts)
}

// abort removes what was written unless commit put it in place.
func (o *exploreOut) abort() {
	o.csvf.f.Close()
	o.dir.Abort()
}

type bufferedFile struct {
	f *os.File
	w *bufio.Writer
}

func createBuffered(dir *atomicfs.Dir, name string) (*bufferedFile, error) {
	f, err := os.Create(dir.Path(name))
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir.Name(), err)
	}
	return &bufferedFile{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (b *bufferedFile) close() error {
	if err := b.w.Flush(); err != nil {
		return err
	}
	return b.f.Close()
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

// isExploreShard reports whether dir is the output of explore --shard.
func isExploreShard(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "shard.json"))
	return err == nil
}

// mergeExplore combines the directories of explore --shard I/N into the
// outputs of one process: explore.json, experiments.csv and the charts,
// byte for byte.
func mergeExplore(ctx context.Context, dirs []string, outArg string, force, noPlots bool, format string, stdout io.Writer) error {
	if format != "table" && format != "json" {
		return usagef("merge: --format must be table or json for explore shards, got %q", format)
	}
	parts := make([]*study.ShardFile, len(dirs))
	for i, d := range dirs {
		path := filepath.Join(d, "shard.json")
		data, err := resultfile.ReadLimited(path, resultfile.MaxResultSize)
		if err != nil {
			return fmt.Errorf("merge: %s is not an explore shard (%w); name the directories of escalate explore --shard I/N --out DIR", d, err)
		}
		if parts[i], err = study.ParseShard(path, data); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	if v := parts[0].Version; v != job.Tool() {
		return fmt.Errorf("merge: %s was written by %s, this is %s: merge the shards with the escalate that ran them", dirs[0], v, job.Tool())
	}
	j := parts[0].Job
	file, err := scenarios.Load(j.Source)
	if err != nil {
		return fmt.Errorf("merge: the shards' scenario: %w", err)
	}
	cfg, err := j.Config(file, runtime.NumCPU())
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	st, err := study.New(cfg)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	order, err := study.OrderShards(dirs, parts, len(st.Points))
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	var od *exploreOut
	if outArg != "" {
		if od, err = openExploreOut(ctx, outArg, force, st, dirs...); err != nil {
			return err
		}
		defer od.abort()
	}
	sum := st.NewSummary()
	for _, i := range order {
		for _, p := range parts[i].Points {
			pr := study.PointResult{Point: st.Points[p.Index], Outcomes: p.Outcomes}
			if err := sum.Add(pr); err != nil {
				return fmt.Errorf("merge: %s: %w", dirs[i], err)
			}
			if od != nil {
				if err := od.csv.Write(pr); err != nil {
					return fmt.Errorf("merge: experiments.csv: %w", err)
				}
			}
		}
	}
	rep, err := sum.Report()
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	completeExplore(rep, &j)
	if od != nil {
		if err := od.commit(rep, !noPlots); err != nil {
			return err
		}
	}
	if err := printExplore(stdout, rep, format, "p_war"); err != nil {
		return err
	}
	if format == "table" {
		fmt.Fprintf(stdout, "\nMerged %d shards.\n", len(order))
		if outArg != "" {
			fmt.Fprintf(stdout, "Wrote %s\n", filepath.Clean(outArg))
		}
	}
	return nil
}

// replayExplore re-runs the job an explore.json records and compares the
// bytes.
func replayExplore(ctx context.Context, r *replayer, j *study.Job, moved string, workers int, yes bool, stderr io.Writer) error {
	source := j.Source
	if moved != "" {
		source = moved
	}
	file, err := scenarios.Load(source)
	if err != nil {
		return err
	}
	cfg, err := j.Config(file, workers)
	if err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	st, err := study.New(cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	if err := checkExploreBudget(st, 0, len(st.Points), yes, "run it on the machine or cluster that first ran it"); err != nil {
		return err
	}
	p := startProgress(stderr, "points")
	rep, err := st.Run(ctx, nil, func(done int) { p.update(int64(done), int64(len(st.Points))) })
	p.finish()
	if err != nil {
		return failed(ctx, err)
	}
	completeExplore(rep, j)
	now, err := encodeExplore(rep)
	if err != nil {
		return err
	}
	then := ""
	var head struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(r.data, &head) == nil {
		then = head.Version
	}
	what := fmt.Sprintf("the %s exploration of %s (%d points x %d runs, seed %d)", j.Design, j.Source, len(st.Points), j.Runs, j.Seed)
	return r.verdict(what, then, rep.Version, now)
}

// checkExploreBudget refuses, without --yes, an exploration whose points lo
// to hi-1 are estimated to take longer than job.PatienceLimit, as run and
// compare do for their jobs.
func checkExploreBudget(st *study.Study, lo, hi int, yes bool, instead string) error {
	if yes {
		return nil
	}
	e, err := st.Estimate(lo, hi)
	if err != nil {
		return err
	}
	return checkBudget(e, yes, instead)
}
