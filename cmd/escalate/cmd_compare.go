package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

const compareDoc = `
Compare intervention strategies with common random numbers: run i of every
strategy sees the same noise, shocks and consent draws, so differences come
from the strategies, not from luck, and their intervals are paired (from the
per-run differences).

  escalate compare guinea-2009                       every strategy in the file
  escalate compare guinea-2009 --strategies none,historical,fast
  escalate compare mine.toml theirs.toml             two files (same countries)
  escalate compare guinea-2009 --vary intervention.unowa.startup_delay_months=6,1
                                                     one key at several values
  escalate compare guinea-2009 --ci-width 0.01       runs until the interval of
                                                     every P(war) difference is
                                                     that narrow

The first strategy is the baseline (or --baseline NAME). For scenarios with
several countries the headline outcome is "any country at war" (or one
country's war with --country ID), and the table adds a block per country.
`

type compareFlags struct {
	scenarioFlags
	strategies string
	baseline   string
	vary       oneVary
	strategy   string
	country    string
	runs       int64
	seed       uint64
	workers    int
	format     string
	out        string
	force      bool
	ciWidth    float64
	maxRuns    int64
	yes        bool
	charts     chartFlags
}

// comparisonFile is the JSON output of compare.
type comparisonFile struct {
	*sim.ComparisonSummary
	Provenance provenance `json:"provenance"`
}

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf compareFlags
	fs := newFlagSet("compare", "SCENARIO [--strategies a,b,...] | A.toml B.toml", compareDoc)
	cf.scenarioFlags.register(fs, false)
	fs.StringVar(&cf.strategies, "strategies", "", "comma-separated strategy `names` to compare (default: all, in file order)")
	fs.StringVar(&cf.baseline, "baseline", "", "strategy `NAME` the others are compared with (default: the first)")
	fs.Var(&cf.vary, "vary", "compare the scenario at several values of one key, `PATH=a,b,...` or FROM:TO:STEP; the first value is the baseline")
	fs.StringVar(&cf.strategy, "strategy", "", "with --vary: start from strategy `NAME`")
	fs.StringVar(&cf.country, "country", "", "headline outcome: war in country `ID` instead of in any country (several countries)")
	fs.Int64Var(&cf.runs, "runs", 0, "number of runs per strategy (default: the scenario's runs)")
	fs.Uint64Var(&cf.seed, "seed", 0, "random seed (default: the scenario's seed)")
	fs.IntVar(&cf.workers, "workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	fs.StringVar(&cf.format, "format", "table", "output format: table, json or csv")
	fs.StringVar(&cf.out, "out", "", "write comparison.json and comparison.csv to `DIR`")
	fs.BoolVar(&cf.force, "force", false, "replace an existing --out directory")
	cf.charts.register(fs, true)
	fs.Float64Var(&cf.ciWidth, "ci-width", 0, "add runs until the paired 95% interval of every strategy's headline P(war) difference is narrower than `W`")
	fs.Int64Var(&cf.maxRuns, "max-runs", 10_000_000, "cap on the runs --ci-width may use")
	fs.BoolVar(&cf.yes, "yes", false, "run a job estimated to take more than 10 minutes")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if err := checkFormat(cf.format); err != nil {
		return err
	}
	if err := cf.charts.check(cf.out); err != nil {
		return err
	}
	if err := checkPrecisionFlags(cf.ciWidth, cf.maxRuns, fs.isSet("max-runs")); err != nil {
		return err
	}
	var (
		variants []*sim.Scenario
		labels   []sim.Variant
		source   string
	)
	switch {
	case len(pos) == 1 && cf.vary.value != "":
		if cf.strategies != "" || cf.baseline != "" {
			return usagef("compare: --vary compares values of one key; it does not mix with --strategies or --baseline")
		}
		variants, labels, err = varyVariants(pos[0], &cf)
		source = pos[0]
	case cf.strategy != "":
		return usagef("compare: --strategy goes with --vary; use --strategies to compare strategies")
	case len(pos) == 1:
		variants, labels, err = strategyVariants(pos[0], &cf)
		source = pos[0]
	case len(pos) == 2:
		if cf.strategies != "" || cf.baseline != "" || cf.vary.value != "" {
			return usagef("compare: --strategies and --baseline apply to one scenario's strategies, not to two files")
		}
		variants, labels, err = fileVariants(pos, &cf.scenarioFlags)
		source = pos[0] + " " + pos[1]
	default:
		return usagef("compare: want a scenario with strategies, or two scenario files (see escalate help compare)")
	}
	if err != nil {
		return err
	}
	base := variants[0]
	headline, err := sim.NewHeadline(base, cf.country)
	if err != nil {
		return usagef("compare: --country: %v", err)
	}
	runs, seed := base.Runs, base.Seed
	if cf.runs > 0 {
		runs = cf.runs
	}
	if fs.isSet("seed") {
		seed = cf.seed
	}
	budgetRuns := runs
	if cf.ciWidth > 0 {
		budgetRuns = max(runs, cf.maxRuns)
	}
	if err := checkBudget(budgetRuns, variants, cf.workers, cf.yes,
		"use fewer --runs, strategies or --vary values, or a wider --ci-width or a lower --max-runs"); err != nil {
		return err
	}
	var out *outDir
	if cf.out != "" {
		if out, err = createOutDir("--out", cf.out, cf.force); err != nil {
			return err
		}
		defer out.abort()
	}
	plotsDir, err := cf.charts.openDir(cf.force)
	if err != nil {
		return err
	}
	defer plotsDir.abort()

	var cmp *sim.Comparison
	prog := startProgress(stderr, runs, "runs")
	var doneBefore int64
	batch := func(first, n int64) error {
		c, err := sim.Compare(ctx, variants, sim.Options{Seed: seed, FirstRun: first, Runs: n, Workers: cf.workers,
			Progress: func(d int64) { prog.update(doneBefore + d) }})
		if err != nil {
			return err
		}
		doneBefore += n
		if cmp == nil {
			cmp = c
			return nil
		}
		return cmp.Merge(c)
	}
	width := func() float64 {
		cs := sim.SummarizeComparison(variants, labels, cmp, seed, headline)
		w := 0.0
		for _, s := range cs.Strategies[1:] {
			w = max(w, s.VsBaseline.PWarDiffCI95[1]-s.VsBaseline.PWarDiffCI95[0])
		}
		return w
	}
	total, err := precision{cf.ciWidth, cf.maxRuns}.run(ctx, runs, batch, width)
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	cs := sim.SummarizeComparison(variants, labels, cmp, seed, headline)
	cfile := &comparisonFile{ComparisonSummary: cs, Provenance: compareProvenance(source, pos, variants, &cf, total, seed, labels)}

	if out != nil {
		charts := cf.charts.inOut(func(dir string) error { return writeComparisonChartsInto(dir, cfile, &cf.charts) })
		if err := writeResult(out, "comparison", cfile, cfile.Provenance, func(w io.Writer) { writeComparisonCSV(w, cs) }, charts); err != nil {
			return err
		}
	}
	if err := cf.charts.writeDir(plotsDir, func(dir string) error { return writeComparisonChartsInto(dir, cfile, &cf.charts) }); err != nil {
		return err
	}
	note := precisionNote(cf.ciWidth, total, runs, width())
	switch cf.format {
	case "json":
		sayPrecision(cf.format, note, stdout, stderr)
		return writeJSON(stdout, cfile)
	case "csv":
		sayPrecision(cf.format, note, stdout, stderr)
		writeComparisonCSV(stdout, cs)
		return nil
	}
	writeComparisonTable(stdout, cs, len(pos) == 1, cf.strategy, cfile.Provenance.Overrides)
	sayPrecision(cf.format, note, stdout, stderr)
	if out != nil {
		fmt.Fprintf(stdout, "Wrote %s\n", out.name)
	}
	if cf.charts.dir != "" {
		fmt.Fprintf(stdout, "Wrote charts to %s\n", filepath.Clean(cf.charts.dir))
	}
	return nil
}

// strategyVariants returns the chosen strategies of one scenario file, the
// baseline first.
func strategyVariants(arg string, cf *compareFlags) ([]*sim.Scenario, []sim.Variant, error) {
	ovs, err := cf.overrides()
	if err != nil {
		return nil, nil, err
	}
	f, err := scenarios.Load(arg)
	if err != nil {
		return nil, nil, err
	}
	if len(f.Strategies) == 0 {
		return nil, nil, fmt.Errorf("%s defines no [strategy.NAME] tables: add some (see escalate help format), or compare two files", arg)
	}
	var ids []string
	if cf.strategies == "" {
		for _, s := range f.Strategies {
			ids = append(ids, s.ID)
		}
	} else {
		for _, id := range strings.Split(cf.strategies, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	if cf.baseline != "" {
		rest := []string{cf.baseline}
		for _, id := range ids {
			if id != cf.baseline {
				rest = append(rest, id)
			}
		}
		ids = rest
	}
	seen := map[string]bool{}
	var variants []*sim.Scenario
	var labels []sim.Variant
	for _, id := range ids {
		if seen[id] {
			return nil, nil, usagef("compare: strategy %q listed twice", id)
		}
		seen[id] = true
		sc, err := f.Strategy(id, ovs...)
		if err != nil {
			return nil, nil, err
		}
		if sc, err = cf.apply(f, sc); err != nil {
			return nil, nil, err
		}
		variants = append(variants, sc)
		for _, s := range f.Strategies {
			if s.ID == id {
				labels = append(labels, sim.Variant{ID: s.ID, Name: s.Name, Description: s.Description})
			}
		}
	}
	if len(variants) < 2 {
		return nil, nil, usagef("compare: want at least two strategies, got %d", len(variants))
	}
	if err := checkSetsReach(cf.sets, "every strategy compared ("+strings.Join(ids, ", ")+")", variants...); err != nil {
		return nil, nil, err
	}
	return variants, labels, nil
}

// varyVariants returns the scenario (or a strategy of it) at each value of
// one key path, the first value as the baseline.
func varyVariants(arg string, cf *compareFlags) ([]*sim.Scenario, []sim.Variant, error) {
	dim, err := parseVary(cf.vary.value)
	if err != nil {
		return nil, nil, err
	}
	if len(dim.Values) < 2 {
		return nil, nil, usagef("compare: --vary wants at least two values, got %d", len(dim.Values))
	}
	base, err := load(arg, &cf.scenarioFlags, cf.strategy)
	if err != nil {
		return nil, nil, err
	}
	key, err := varyLabel(base, dim.Path)
	if err != nil {
		return nil, nil, err
	}
	var variants []*sim.Scenario
	var labels []sim.Variant
	for _, v := range dim.Values {
		o, err := scenarios.ParseOverride(dim.Path + "=" + v)
		if err != nil {
			return nil, nil, usagef("%v", err)
		}
		o.Origin = "--vary " + dim.Path + "=" + v
		sc, err := loadWith(base, &cf.scenarioFlags, []scenarios.Override{o})
		if err != nil {
			return nil, nil, err
		}
		variants = append(variants, sc)
		labels = append(labels, sim.Variant{ID: dim.Path + "=" + v, Name: key.Value(v)})
	}
	return variants, labels, nil
}

// fileVariants returns two scenario files as written, the first as the
// baseline.
func fileVariants(paths []string, sf *scenarioFlags) ([]*sim.Scenario, []sim.Variant, error) {
	var variants []*sim.Scenario
	var labels []sim.Variant
	for _, p := range paths {
		l, err := load(p, sf, "")
		if err != nil {
			return nil, nil, err
		}
		variants = append(variants, l.sc)
		labels = append(labels, sim.Variant{ID: l.sc.Name, Name: l.sc.Title})
	}
	a, b := variants[0], variants[1]
	if a.Horizon != b.Horizon {
		return nil, nil, fmt.Errorf("compare: %s has %s and %s %s; use --horizon to make them equal", paths[0], nMonths(a.Horizon), paths[1], nMonths(b.Horizon))
	}
	ids := func(sc *sim.Scenario) string {
		var s []string
		for _, c := range sc.Countries {
			s = append(s, c.ID)
		}
		return strings.Join(s, ", ")
	}
	if ids(a) != ids(b) {
		return nil, nil, fmt.Errorf("compare: the files must have the same countries in the same order (%s has %s; %s has %s)", paths[0], ids(a), paths[1], ids(b))
	}
	if labels[0].ID == labels[1].ID {
		labels[1].ID += "-2"
	}
	if labels[0].Name == labels[1].Name {
		// Two versions of one scenario: tell them apart by file.
		labels[0].Name, labels[1].Name = paths[0], paths[1]
	}
	return variants, labels, nil
}

// compareProvenance records a comparison of the scenario files (or shipped
// names) files, source being them as one string.
func compareProvenance(source string, files []string, variants []*sim.Scenario, cf *compareFlags, runs int64, seed uint64, labels []sim.Variant) provenance {
	var shas []string
	for _, sc := range variants {
		shas = append(shas, fingerprint(sc)[:16])
	}
	p := provenance{
		Tool:           toolVersion(),
		Source:         source,
		ScenarioSHA256: strings.Join(shas, ","),
		Overrides:      cf.overridesText(),
		Runs:           runs,
		Seed:           seed,
	}
	var ids []string
	for _, l := range labels {
		ids = append(ids, l.ID)
	}
	p.Strategy = strings.Join(ids, ",")
	var quoted []string
	for _, f := range files {
		quoted = append(quoted, shellQuote(f))
	}
	cmd := fmt.Sprintf("escalate compare %s --runs %d --seed %d", strings.Join(quoted, " "), runs, seed)
	switch {
	case cf.vary.value != "":
		if cf.strategy != "" {
			cmd += " --strategy " + shellQuote(cf.strategy)
		}
		cmd += " --vary " + shellQuote(cf.vary.value)
	case len(files) == 1:
		cmd += " --strategies " + p.Strategy
	}
	if cf.country != "" {
		cmd += " --country " + shellQuote(cf.country)
	}
	for _, o := range p.Overrides {
		cmd += " --set " + shellQuote(o)
	}
	p.Command = cmd
	cf.additionFlags.record(&p)
	return p
}

func writeComparisonCSV(w io.Writer, cs *sim.ComparisonSummary) {
	fmt.Fprintln(w, "strategy,title,runs,seed,p_war,p_war_lo,p_war_hi,p_war_diff,p_war_diff_lo,p_war_diff_hi,war_months_mean,war_months_diff,war_months_diff_lo,war_months_diff_hi,median_time_to_war,cost_mean,cost_diff,cost_per_war_averted,dominant,crn_variance_ratio,outcome")
	for _, s := range cs.Strategies {
		v := s.VsBaseline
		fmt.Fprintf(w, "%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%t,%s,%s\n",
			csvField(s.ID), csvField(s.Name), cs.Runs, cs.Seed, ff(s.PWar), ff(s.PWarCI95[0]), ff(s.PWarCI95[1]),
			ff(v.PWarDiff), ff(v.PWarDiffCI95[0]), ff(v.PWarDiffCI95[1]),
			ff(s.WarMonthsMean), ff(v.WarMonthsDiff), ff(v.WarMonthsDiffCI95[0]), ff(v.WarMonthsDiffCI95[1]),
			optInt(s.TimeToWar.MedianMonths), ff(s.CostMean), ff(v.CostDiff), optFloat(v.CostPerWarAverted), v.Dominant, optFloat(v.CRNVarianceRatio), csvField(cs.Headline.Label()))
	}
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

func optFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return ff(*p)
}

// writeComparisonTable prints the comparison; strategies says whether to
// list the strategies' descriptions, and strategy and overrides are the
// settings every variant shares (--strategy with --vary, --set).
func writeComparisonTable(w io.Writer, cs *sim.ComparisonSummary, strategies bool, strategy string, overrides []string) {
	fmt.Fprintf(w, "%s (%s): %d runs per strategy, seed %d, %s, common random numbers\n", cs.Title, cs.Scenario, cs.Runs, cs.Seed, nMonths(cs.HorizonMonths))
	writeSettings(w, strategy, overrides)
	outcome := cs.Headline.Label()
	if cs.Headline.Country == "" {
		names := slices.Clone(cs.Countries)
		for c, cc := range cs.Strategies[0].ByCountry {
			names[c] = cmp.Or(cc.Name, cc.ID)
		}
		outcome = "war in any of " + strings.Join(names, ", ")
	}
	fmt.Fprintf(w, "Outcome: %s, in at least one month. Differences are against %q, paired run by run.\n\n", outcome, cs.Strategies[0].Name)
	tw := newTable(w)
	fmt.Fprintln(tw, "Strategy\tP(war)\t95% interval\tChange in P(war) [95%]\tMonths at war\tChange [95%]\tMedian time to war\tMean cost\tCost per war averted")
	for i, s := range cs.Strategies {
		v := s.VsBaseline
		diff, mdiff := pairedCells(i, &v)
		per := ""
		if i > 0 {
			per = costPerWarAverted(&v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", s.Name, pct(s.PWar), interval(s.PWarCI95), diff,
			s.WarMonthsMean, mdiff, median(s.TimeToWar.MedianMonths, cs.HorizonMonths), money(s.CostMean), per)
	}
	tw.Flush()
	if p, ok := cs.SamePWar(); ok {
		fmt.Fprintf(w, "\nEvery strategy has P(war) %s for %s, so P(war) cannot tell them apart: compare the months at war", pct(p), outcome)
		if len(cs.Countries) > 1 {
			fmt.Fprint(w, ", the countries below")
			if cs.Headline.Country == "" {
				fmt.Fprint(w, ", or choose one country with --country ID")
			}
		}
		fmt.Fprintln(w, ".")
	}
	var ratios []string
	for _, s := range cs.Strategies[1:] {
		if r := s.VsBaseline.CRNVarianceRatio; r != nil {
			ratios = append(ratios, fmt.Sprintf("%s %.1f×", s.Name, *r))
		}
	}
	if len(ratios) > 0 {
		fmt.Fprintf(w, "\nCommon random numbers: independent runs would need this many times more runs for the same precision of the P(war) difference: %s.\n", strings.Join(ratios, ", "))
	}
	if len(cs.Countries) > 1 {
		writeCountryComparison(w, cs)
	}
	if strategies {
		fmt.Fprintln(w)
		for _, s := range cs.Strategies {
			if s.Description != "" {
				fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Description)
			}
		}
	}
}

// writeCountryComparison prints each country's outcomes under every
// strategy, for scenarios with several countries.
func writeCountryComparison(w io.Writer, cs *sim.ComparisonSummary) {
	fmt.Fprintln(w, "\nBy country (mean cost: the missions' staff deployed there):")
	tw := newTable(w)
	fmt.Fprintln(tw, "Country\tStrategy\tP(war)\t95% interval\tChange in P(war) [95%]\tMonths at war\tChange [95%]\tMean cost")
	for c := range cs.Countries {
		for i, s := range cs.Strategies {
			cc := &s.ByCountry[c]
			name := ""
			if i == 0 {
				name = cmp.Or(cc.Name, cc.ID)
			}
			diff, mdiff := pairedCells(i, &cc.VsBaseline)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", name, s.Name, pct(cc.PWar), interval(cc.PWarCI95), diff,
				cc.WarMonthsMean, mdiff, money(cc.CostMean))
		}
	}
	tw.Flush()
}

// costPerWarAverted is the table's cell for a variant's cost per war
// averted.
func costPerWarAverted(v *sim.PairedSummary) string {
	switch {
	case v.Dominant:
		return "none: fewer wars, no extra cost"
	case v.CostPerWarAverted != nil:
		return money(*v.CostPerWarAverted)
	case v.PWarDiff < 0:
		return "n/a (no clear fall)"
	}
	return "n/a (no fewer wars)"
}

// pairedCells formats the paired differences of strategy i; the baseline
// (i = 0) reads "baseline".
func pairedCells(i int, v *sim.PairedSummary) (diff, months string) {
	if i == 0 {
		return "baseline", "baseline"
	}
	pts := func(x float64) string { return signed(100*x, 1) }
	diff = fmt.Sprintf("%s pts [%s, %s]", pts(v.PWarDiff), bound(100*v.PWarDiffCI95[0], 1), bound(100*v.PWarDiffCI95[1], 1))
	months = fmt.Sprintf("%s [%s, %s]", signed(v.WarMonthsDiff, 2), bound(v.WarMonthsDiffCI95[0], 2), bound(v.WarMonthsDiffCI95[1], 2))
	return diff, months
}

// bound formats an interval's end like signed, but with up to three more
// decimals when it would otherwise read as zero: whether an interval
// includes zero is what a reader looks for, and [-1.0, +0.0] hides it
// (+0.03 does not).
func bound(x float64, decimals int) string {
	s := signed(x, decimals)
	for d := decimals + 1; x != 0 && strings.Trim(s, "+-0.") == "" && d <= decimals+3; d++ {
		s = signed(x, d)
	}
	return s
}

// signed formats a difference with a sign and the given decimals; one that
// rounds to zero is "+0.0", never "-0.0".
func signed(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}
