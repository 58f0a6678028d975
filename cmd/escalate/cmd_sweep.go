package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

const sweepDoc = `
Run a scenario at every value of one or two key paths and report P(war)
with its interval, the mean months at war and the mean cost at each point.
Every point runs on the same seed (common random numbers), so neighbouring
points differ by the parameter, not by luck; each point equals
"escalate run SCENARIO --set PATH=VALUE" with the same seed and runs.

  escalate sweep guinea-2009 --vary intervention.unowa.startup_delay_months=0:12:1
  escalate sweep guinea-2009 --vary intervention.unowa.staff=1,3,10,30
  escalate sweep workshop-intro --vary intervention.mediators.staff=0:20:4 \
      --vary intervention.mediators.startup_delay_months=0:6:2 --format csv

--vary PATH=FROM:TO:STEP gives FROM, FROM+STEP, ... up to TO; PATH=a,b,c
lists values. Integers stay integers (for month keys).
`

// maxSweepPoints bounds a sweep: beyond this a user has almost certainly
// mistyped a step.
const maxSweepPoints = 10000

type sweepFlags struct {
	scenarioFlags
	vary    multiFlag
	country string
	runs    int64
	seed    uint64
	workers int
	format  string
	out     string
	force   bool
	yes     bool
	charts  chartFlags
	ciWidth float64
	maxRuns int64
}

type sweepFile struct {
	*sim.SweepSummary
	Provenance provenance `json:"provenance"`
}

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf sweepFlags
	fs := newFlagSet("sweep", "SCENARIO --vary PATH=FROM:TO:STEP [--vary PATH2=a,b,c] [flags]", sweepDoc)
	sf.scenarioFlags.register(fs, true)
	fs.Var(&sf.vary, "vary", "a key path and its values, `PATH=FROM:TO:STEP` or PATH=a,b,c (once or twice)")
	fs.StringVar(&sf.country, "country", "", "outcome: war in country `ID` instead of in any country (several countries)")
	fs.Int64Var(&sf.runs, "runs", 0, "number of runs per point (default: the scenario's runs)")
	fs.Uint64Var(&sf.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&sf.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&sf.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&sf.out, "out", "", "write sweep.json and sweep.csv to `DIR`")
	fs.BoolVar(&sf.force, "force", false, "replace an existing --out directory")
	sf.charts.register(fs, true)
	fs.BoolVar(&sf.yes, "yes", false, "run a job estimated to take more than 10 minutes")
	fs.Float64Var(&sf.ciWidth, "ci-width", 0, "add runs to every point until the 95% interval of each point's P(war) is narrower than `W`")
	fs.Int64Var(&sf.maxRuns, "max-runs", 10_000_000, "cap on the runs per point --ci-width may use")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("sweep: want one scenario (see escalate help sweep)")
	}
	if err := checkPrecisionFlags(sf.ciWidth, sf.maxRuns, fs.isSet("max-runs")); err != nil {
		return err
	}
	if err := checkFormat(sf.format); err != nil {
		return err
	}
	if err := sf.charts.check(sf.out); err != nil {
		return err
	}
	if len(sf.vary) == 0 || len(sf.vary) > 2 {
		return usagef("sweep: give --vary once or twice, got %d", len(sf.vary))
	}
	var dims []sim.SweepDimension
	total := 1
	for _, v := range sf.vary {
		d, err := parseVary(v)
		if err != nil {
			return err
		}
		dims = append(dims, d)
		total *= len(d.Values)
	}
	if total > maxSweepPoints {
		return usagef("sweep: %d points is more than %d; use a larger step", total, maxSweepPoints)
	}
	if len(dims) == 2 && dims[0].Path == dims[1].Path {
		return usagef("sweep: both --vary flags set %s", dims[0].Path)
	}

	// Build every point's scenario before running any: a bad value fails
	// the whole sweep with nothing written.
	base, err := load(pos[0], &sf.scenarioFlags, sf.strategy)
	if err != nil {
		return err
	}
	headline, err := sim.NewHeadline(base.sc, sf.country)
	if err != nil {
		return usagef("sweep: --country: %v", err)
	}
	for d := range dims {
		l, err := varyLabel(base, dims[d].Path)
		if err != nil {
			return err
		}
		dims[d].Label = l.String()
	}
	type point struct {
		index  []int
		values []string
		sc     *sim.Scenario
	}
	var points []point
	for _, idx := range gridIndices(dims) {
		var ovs []scenarios.Override
		var values []string
		for d, i := range idx {
			o, err := scenarios.ParseOverride(dims[d].Path + "=" + dims[d].Values[i])
			if err != nil {
				return usagef("%v", err)
			}
			o.Origin = "--vary " + dims[d].Path + "=" + dims[d].Values[i]
			ovs = append(ovs, o)
			values = append(values, dims[d].Values[i])
		}
		l, err := loadWith(base, &sf.scenarioFlags, ovs)
		if err != nil {
			return err
		}
		points = append(points, point{idx, values, l})
	}
	runs, seed := base.sc.Runs, base.sc.Seed
	if sf.runs > 0 {
		runs = sf.runs
	}
	if fs.isSet("seed") {
		seed = sf.seed
	}
	scs := make([]*sim.Scenario, len(points))
	for i, pt := range points {
		scs[i] = pt.sc
	}
	budgetRuns := runs
	if sf.ciWidth > 0 {
		budgetRuns = max(runs, sf.maxRuns)
	}
	if err := checkBudget(budgetRuns, scs, sf.workers, sf.yes,
		"use fewer --runs or fewer points (a larger STEP), or a wider --ci-width or a lower --max-runs"); err != nil {
		return err
	}
	var out *outDir
	if sf.out != "" {
		if out, err = createOutDir("--out", sf.out, sf.force); err != nil {
			return err
		}
		defer out.abort()
	}
	plotsDir, err := sf.charts.openDir(sf.force)
	if err != nil {
		return err
	}
	defer plotsDir.abort()

	sum := &sim.SweepSummary{
		Scenario: base.sc.Name, Title: base.sc.Title, Runs: runs, Seed: seed,
		HorizonMonths: base.sc.Horizon, Dimensions: dims, Headline: headline,
	}
	// Every point runs the same run indices (common random numbers), in
	// batches when --ci-width asks for more runs; the result equals one
	// batch of the total, which the file records.
	results := make([]*sim.Result, len(points))
	prog := startProgress(stderr, runs*int64(len(points)), "runs")
	var doneBefore int64
	batch := func(first, n int64) error {
		for k, pt := range points {
			res, err := sim.Run(ctx, pt.sc, sim.Options{Seed: seed, FirstRun: first, Runs: n, Workers: sf.workers,
				Progress: func(d int64) { prog.update(doneBefore + d) }})
			if err != nil {
				return err
			}
			doneBefore += n
			if results[k] == nil {
				results[k] = res
			} else if err := results[k].Merge(res); err != nil {
				return err
			}
		}
		return nil
	}
	pointAt := func(k int) sim.SweepPoint {
		pt := points[k]
		return sim.NewSweepPoint(pt.index, pt.values, sim.Summarize(pt.sc, results[k], seed), headline)
	}
	width := func() float64 {
		w := 0.0
		for k := range points {
			ci := pointAt(k).PWarCI95
			w = max(w, ci[1]-ci[0])
		}
		return w
	}
	used, err := precision{sf.ciWidth, sf.maxRuns}.run(ctx, runs, batch, width)
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	sum.Runs = used
	for k := range points {
		sum.Points = append(sum.Points, pointAt(k))
	}
	file := &sweepFile{SweepSummary: sum, Provenance: sweepProvenance(base, dims, sf.country, used, seed)}

	if out != nil {
		charts := sf.charts.inOut(func(dir string) error { return writeSweepChartsInto(dir, file, &sf.charts) })
		if err := writeResult(out, "sweep", file, file.Provenance, func(w io.Writer) { writeSweepCSV(w, sum) }, charts); err != nil {
			return err
		}
	}
	if err := sf.charts.writeDir(plotsDir, func(dir string) error { return writeSweepChartsInto(dir, file, &sf.charts) }); err != nil {
		return err
	}
	note := precisionNote(sf.ciWidth, used, runs, width())
	switch sf.format {
	case "json":
		sayPrecision(sf.format, note, stdout, stderr)
		return writeJSON(stdout, file)
	case "csv":
		sayPrecision(sf.format, note, stdout, stderr)
		writeSweepCSV(stdout, sum)
		return nil
	}
	writeSweepTable(stdout, file, sf.country != "")
	sayPrecision(sf.format, note, stdout, stderr)
	if out != nil {
		fmt.Fprintf(stdout, "Wrote %s\n", out.name)
	}
	if sf.charts.dir != "" {
		fmt.Fprintf(stdout, "Wrote charts to %s\n", filepath.Clean(sf.charts.dir))
	}
	return nil
}

// loadWith applies point overrides after the base's strategy and --set.
func loadWith(base *loaded, sf *scenarioFlags, extra []scenarios.Override) (*sim.Scenario, error) {
	ovs, err := sf.overrides()
	if err != nil {
		return nil, err
	}
	ovs = append(ovs, extra...)
	var sc *sim.Scenario
	if base.strategy != "" {
		sc, err = base.file.Strategy(base.strategy, ovs...)
	} else {
		sc, err = base.file.Scenario(ovs...)
	}
	if err != nil {
		return nil, err
	}
	return sf.apply(base.file, sc)
}

// parseVary parses PATH=FROM:TO:STEP or PATH=a,b,c.
func parseVary(s string) (sim.SweepDimension, error) {
	path, spec, ok := strings.Cut(s, "=")
	if !ok || path == "" || spec == "" {
		return sim.SweepDimension{}, usagef("--vary %q: want PATH=FROM:TO:STEP or PATH=a,b,c", s)
	}
	if _, err := scenarios.ParsePath(path); err != nil {
		return sim.SweepDimension{}, usagef("--vary %q: %v", s, err)
	}
	d := sim.SweepDimension{Path: path}
	if colons := strings.Count(spec, ":"); colons > 0 && !strings.ContainsAny(spec, ",\"") {
		if colons != 2 {
			return d, usagef("--vary %q: a range is FROM:TO:STEP, three numbers (e.g. 0:12:3)", s)
		}
		vals, err := rangeValues(spec)
		if err != nil {
			return d, usagef("--vary %q: %v", s, err)
		}
		d.Values = vals
		return d, nil
	}
	for _, v := range strings.Split(spec, ",") {
		if v = strings.TrimSpace(v); v == "" {
			return d, usagef("--vary %q: empty value in the list", s)
		}
		if i := slices.IndexFunc(d.Values, func(w string) bool { return sameValue(v, w) }); i >= 0 {
			// Two identical points are one point run twice, as a
			// strategy listed twice is (which compare refuses too).
			return d, usagef("--vary %q: value %s listed twice (as %s)", s, v, d.Values[i])
		}
		d.Values = append(d.Values, v)
	}
	return d, nil
}

// rangeValues expands FROM:TO:STEP, keeping integers as integers and
// printing floats without accumulated rounding (0.3, not 0.30000000000000004).
func rangeValues(spec string) ([]string, error) {
	parts := strings.Split(spec, ":")
	ints := true
	var iv [3]int64
	var fv [3]float64
	for k, p := range parts {
		p = strings.TrimSpace(p)
		if i, err := strconv.ParseInt(p, 10, 64); err == nil {
			iv[k], fv[k] = i, float64(i)
			continue
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		ints = false
		fv[k] = f
	}
	from, to, step := fv[0], fv[1], fv[2]
	if step <= 0 || to < from {
		return nil, fmt.Errorf("want FROM <= TO and STEP > 0")
	}
	count := math.Floor((to-from)/step+1e-9) + 1
	if !(count <= maxSweepPoints) {
		return nil, fmt.Errorf("%.0f values is more than %d", count, maxSweepPoints)
	}
	n := int(count)
	var out []string
	for i := range n {
		if ints {
			out = append(out, strconv.FormatInt(iv[0]+int64(i)*iv[2], 10))
			continue
		}
		v := from + float64(i)*step
		out = append(out, strconv.FormatFloat(v, 'g', 12, 64))
	}
	return out, nil
}

// gridIndices lists the points of the grid in row-major order.
func gridIndices(dims []sim.SweepDimension) [][]int {
	var out [][]int
	var walk func(prefix []int)
	walk = func(prefix []int) {
		if len(prefix) == len(dims) {
			out = append(out, append([]int(nil), prefix...))
			return
		}
		for i := range dims[len(prefix)].Values {
			walk(append(prefix, i))
		}
	}
	walk(nil)
	return out
}

func sweepProvenance(base *loaded, dims []sim.SweepDimension, country string, runs int64, seed uint64) provenance {
	p := newProvenance(base, runs, seed)
	cmd := strings.Replace(p.Command, "escalate run", "escalate sweep", 1)
	for _, d := range dims {
		cmd += " --vary " + shellQuote(d.Path+"="+strings.Join(d.Values, ","))
	}
	if country != "" {
		cmd += " --country " + shellQuote(country)
	}
	p.Command = cmd
	return p
}

func writeSweepCSV(w io.Writer, s *sim.SweepSummary) {
	var head []string
	for _, d := range s.Dimensions {
		head = append(head, csvField(d.Path))
	}
	head = append(head, "p_war", "p_war_lo", "p_war_hi", "war_months_mean", "cost_mean", "median_time_to_war", "runs", "seed")
	fmt.Fprintln(w, strings.Join(head, ","))
	for _, p := range s.Points {
		var row []string
		for _, v := range p.Values {
			row = append(row, csvField(v))
		}
		row = append(row, ff(p.PWar), ff(p.PWarCI95[0]), ff(p.PWarCI95[1]), ff(p.WarMonthsMean), ff(p.CostMean),
			optInt(p.MedianTimeToWar), strconv.FormatInt(s.Runs, 10), strconv.FormatUint(s.Seed, 10))
		fmt.Fprintln(w, strings.Join(row, ","))
	}
}

// writeSweepTable prints the sweep; countryCost says that the costs are
// those of one chosen country (--country).
func writeSweepTable(w io.Writer, f *sweepFile, countryCost bool) {
	s := f.SweepSummary
	fmt.Fprintf(w, "%s (%s): %d runs per point, seed %d, %s; outcome: %s\n", s.Title, s.Scenario, s.Runs, s.Seed, nMonths(s.HorizonMonths), s.Headline.Label())
	writeSettings(w, f.Provenance.Strategy, f.Provenance.Overrides)
	fmt.Fprintln(w)
	tw := newTable(w)
	var head []string
	for _, d := range s.Dimensions {
		head = append(head, d.Path)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\tP(war)\t95% interval\tMonths at war\tMedian time to war\tMean cost")
	for _, p := range s.Points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%s\n", strings.Join(p.Values, "\t"), pct(p.PWar), interval(p.PWarCI95),
			p.WarMonthsMean, median(p.MedianTimeToWar, s.HorizonMonths), money(p.CostMean))
	}
	tw.Flush()
	if countryCost {
		fmt.Fprintf(w, "\nMean cost: the missions' staff deployed in %s.\n", s.Headline.Name)
	}
}

// sameValue reports whether two --vary values are the same value: the same
// text, or the same number (2 and 2.0).
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, errx := strconv.ParseFloat(a, 64)
	y, erry := strconv.ParseFloat(b, 64)
	return errx == nil && erry == nil && x == y
}
