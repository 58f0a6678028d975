package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/escalate-sim/escalate/internal/inputfile"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/scenarios"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escalate-sim/escalate/calibrate"
	"github.com/escalate-sim/escalate/calibrate/acd"
	"github.com/escalate-sim/escalate/plots"
	"gonum.org/v1/plot"
)

const calibrateDoc = `
Fit the model's stage dynamics to observed conflict data and say how well
they fit. Without DATA.csv it uses the embedded UCDP/PRIO Armed Conflict
Dataset v23.1 (CC BY 4.0; cite Gleditsch et al. 2002 and Davies, Pettersson
and Oberg 2023), coded over the Gleditsch-Ward list of independent states.
DATA.csv may be another ACD file as UCDP distributes it, or a panel with the
header id,year,stage (stage 0, 1, 2 or none, minor, war).

It prints the maximum-likelihood annual transition matrix between no
conflict, minor conflict (25-999 battle deaths a year) and war (1,000+) with
95% intervals from a bootstrap over countries, the long-run shares and the
mean length of a spell in each stage. A transition from year t-1 to year t
counts in year t: --from 1971 --to 2009 counts (1970, 1971) ... (2008, 2009).

--holdout YEAR fits on the years before YEAR and predicts YEAR..--to: Brier
and log scores of one-year-ahead forecasts against persistence and base
rates, stage shares by year, recurrence and durations of war and peace.

--out DIR writes calibration.json, transitions.csv, a ready scenario
(scenario.toml) and, with --holdout, charts. --into FILE rewrites the
generated transitions between the "# calibrate:begin" and "# calibrate:end"
lines of a scenario file (how scenarios/global-baseline.toml is made).

--dynamics tension fits the tension model's baseline instead (thresholds,
hysteresis at their defaults, no momentum or shocks): the mean and spread
across countries of structural pressure (logit scale), the monthly
reversion and volatility, by simulated method of moments so that the
yearly stages (the highest stage of each year's months) reproduce the
annual transitions, recurrence, spell lengths and the shares of countries
never in conflict and ever at war. It prints the estimates with 95%
intervals, observed and fitted moments and the J test of the model; --out
writes calibration.json and scenario.toml. The intervals are the
asymptotic (sandwich) ones; --bootstrap B replaces them by a parametric
bootstrap's: B panels simulated from the estimate, each fitted again, so
it costs about B times the fit (about a minute of CPU each for 1971-2009),
spread over the processors.
`

func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("calibrate", "[DATA.csv] [flags]", calibrateDoc)
	from := fs.Int("from", 0, "first `YEAR` whose transitions are counted (default: the data's first year + 1)")
	to := fs.Int("to", 0, "last `YEAR` whose transitions are counted (default: the data's last year)")
	holdout := fs.Int("holdout", 0, "fit on the years before `YEAR`, predict YEAR..--to")
	format := fs.String("format", "table", "output: table, json or csv")
	out := fs.String("out", "", "write calibration.json, transitions.csv, scenario.toml and charts to `DIR` (new or empty)")
	into := fs.String("into", "", "rewrite the generated transitions block of the scenario `FILE`")
	countries := fs.String("countries", "", "read the list of states from `FILE` (Gleditsch-Ward form: gwcode, startdate, enddate, optionally stateabb, statename)")
	types := fs.String("types", "3,4", "ACD type_of_conflict values counted (1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate)")
	locations := fs.String("locations", "all", "a conflict in several countries counts in all of them or only the first listed (all|first)")
	partial := fs.String("partial-years", "any-day", "a state's partial years of independence count: any-day, year-end (independent on 31 December) or year-start (on 1 January)")
	extend := fs.Int("extend-to", 0, "extend the list's spells open at its end to `YEAR` (default: the data's last year)")
	resamples := fs.Int("resamples", 1000, "bootstrap resamples of the countries")
	sims := fs.Int("sims", 200, "panels simulated for --holdout's predicted shares, recurrence and durations (--dynamics tension: per objective evaluation, default 10)")
	seed := fs.Uint64("seed", 1, "seed of the bootstrap and the simulations")
	dynamics := fs.String("dynamics", "markov", "model fitted: markov (annual transition matrix) or tension (the tension model's baseline)")
	bootstrap := fs.Int("bootstrap", 0, "--dynamics tension: intervals from a parametric bootstrap of `B` refitted panels (at least 20; each costs about as much as the fit)")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("calibrate: one data file at most, got %d (see escalate help calibrate)", len(pos))
	}
	if !slices.Contains([]string{"table", "json", "csv"}, *format) {
		return usagef("calibrate: --format %q: want table, json or csv", *format)
	}
	if *dynamics != "markov" && *dynamics != "tension" {
		return usagef("calibrate: --dynamics %q: want markov or tension", *dynamics)
	}
	if *dynamics == "tension" {
		for _, f := range []string{"holdout", "into"} {
			if fs.isSet(f) {
				return usagef("calibrate: --%s works with --dynamics markov only", f)
			}
		}
		if *format == "csv" {
			return usagef("calibrate: --format csv works with --dynamics markov only (use json)")
		}
		if *bootstrap != 0 && *bootstrap < 20 {
			return usagef("calibrate: --bootstrap %d: want 0 (the sandwich intervals) or at least 20 replicates", *bootstrap)
		}
	} else if fs.isSet("bootstrap") {
		return usagef("calibrate: --bootstrap works with --dynamics tension only (the Markov fit's intervals are a bootstrap over countries, --resamples)")
	}
	if *resamples < 2 || *sims < 1 {
		return usagef("calibrate: --resamples must be at least 2 and --sims at least 1")
	}
	coding := acd.Coding{ExtendTo: *extend}
	for _, t := range strings.Split(*types, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil || n < 1 || n > 4 {
			return usagef("calibrate: --types %q: want conflict types 1 to 4 separated by commas", *types)
		}
		coding.Types = append(coding.Types, n)
	}
	if coding.Locations, err = acd.ParseLocations(*locations); err != nil {
		return usagef("calibrate: --%v", err)
	}
	if coding.Membership, err = acd.ParseMembership(*partial); err != nil {
		return usagef("calibrate: --%v", err)
	}

	// Read and code the data.
	name, raw := acd.DefaultACDName, acd.DefaultACD()
	if len(pos) == 1 {
		name = pos[0]
		if raw, err = inputfile.Read(name, "a data file", maxDataFile); err != nil {
			return err
		}
	}
	d, err := acd.ReadData(bytes.NewReader(raw), name)
	if err != nil {
		return err
	}
	states, statesName := acd.DefaultStates(), acd.DefaultStatesName+" (Gleditsch and Ward 1999)"
	if *countries != "" {
		b, err := inputfile.Read(*countries, "a list of states", maxDataFile)
		if err != nil {
			return err
		}
		if states, err = acd.ReadStates(bytes.NewReader(b), *countries); err != nil {
			return err
		}
		statesName = *countries
	}
	panel, rep, err := d.Code(coding, states)
	if err != nil {
		return err
	}
	if *from == 0 {
		*from = panel.First + 1
	}
	if *to == 0 {
		*to = panel.Last
	}
	if *from <= panel.First || *to > panel.Last || *from > *to {
		return usagef("calibrate: --from %d --to %d: the data cover %d-%d, so transitions can be counted in %d-%d", *from, *to, panel.First, panel.Last, panel.First+1, panel.Last)
	}
	sum := sha256.Sum256(raw)
	src := calibrate.Source{File: filepath.Base(name), SHA256: hex.EncodeToString(sum[:]), Format: d.Format, States: statesName, Coding: rep.Coding,
		Command: reproduce(pos, fs.isSet, *from, *to, *holdout, args)}

	if *dynamics == "tension" {
		opt := calibrate.DefaultTensionOptions
		opt.Resamples, opt.Seed = *resamples, *seed
		if fs.isSet("sims") {
			opt.Sims = *sims
		}
		opt.Bootstrap, opt.Workers = *bootstrap, maxWorkers()
		opt.Progress = bootstrapProgress(stderr, opt.Workers, time.Now())
		fit, err := calibrate.FitTension(panel, *from, *to, opt)
		if err != nil {
			return err
		}
		tr := &calibrate.TensionReport{Source: src, Fit: fit}
		if *out != "" {
			if err := writeTension(*out, tr); err != nil {
				return err
			}
		}
		if *format == "json" {
			return tr.WriteJSON(stdout)
		}
		return tr.WriteTable(stdout)
	}

	// Fit, and validate.
	m, err := calibrate.FitMarkov(panel, *from, *to, *resamples, *seed)
	if err != nil {
		return err
	}
	report := &calibrate.Report{Source: src, Markov: m}
	if fs.isSet("holdout") {
		if report.Holdout, err = calibrate.Validate(panel, *from, *holdout, *to, *resamples, *sims, *seed); err != nil {
			return err
		}
	}
	if *into != "" {
		if err := rewriteBlock(*into, calibrate.TransitionsBlock(m, src)); err != nil {
			return err
		}
	}
	if *out != "" {
		if err := writeCalibration(*out, report); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		return report.WriteJSON(stdout)
	case "csv":
		return report.WriteCSV(stdout)
	}
	return report.WriteTable(stdout)
}

// reproduce is the command line that reproduces the fit: the data, the
// period and every flag given that changes the numbers (not --format,
// --out or --into).
func reproduce(pos []string, isSet func(string) bool, from, to, holdout int, args []string) string {
	parts := []string{"escalate calibrate"}
	parts = append(parts, pos...)
	parts = append(parts, fmt.Sprintf("--from %d --to %d", from, to))
	if isSet("holdout") {
		parts = append(parts, fmt.Sprintf("--holdout %d", holdout))
	}
	// Keep the given value of each numeric-changing flag, in a fixed order.
	given := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := strings.TrimLeft(args[i], "-")
		if !strings.HasPrefix(args[i], "-") {
			continue
		}
		k, v, ok := strings.Cut(a, "=")
		if !ok && i+1 < len(args) {
			v = args[i+1]
		}
		given[k] = v
	}
	for _, k := range []string{"dynamics", "countries", "types", "locations", "partial-years", "extend-to", "resamples", "sims", "seed"} {
		if isSet(k) {
			parts = append(parts, fmt.Sprintf("--%s %s", k, given[k]))
		}
	}
	return strings.Join(parts, " ")
}

// maxDataFile bounds the data files calibrate reads: UCDP's ACD is
// 0.6 MB, a panel of every country-year since 1800 about 1 MB.
const maxDataFile = 64 << 20

// rewriteBlock replaces the generated block of a scenario file in place.
func rewriteBlock(path, block string) error {
	b, err := inputfile.Read(path, "a scenario", scenarios.MaxFileSize)
	if err != nil {
		return err
	}
	nb, err := calibrate.ReplaceBlock(b, block)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, nb, 0o644)
}

// emptyDir makes dir, which must be new or empty, so that no earlier
// result is mixed with this one.
func emptyDir(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("--out %s: the directory exists and is not empty", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}

// bootstrapProgress reports the tension fit's bootstrap on w: at its
// start, the time it will take (each replicate refits a panel as the fit
// did, which took the time since start), then every tenth of the way.
func bootstrapProgress(w io.Writer, workers int, start time.Time) func(done, total int) {
	var fit time.Duration
	var boot time.Time
	return func(done, total int) {
		if done == 0 {
			fit, boot = time.Since(start), time.Now()
			est := fit * time.Duration((total+workers-1)/workers)
			fmt.Fprintf(w, "calibrate: the fit took %s; the bootstrap refits %d panels on %d workers, about %s\n", fit.Round(time.Second), total, workers, est.Round(time.Second))
			return
		}
		if done == total || done%max(total/10, 1) == 0 {
			el := time.Since(boot)
			left := el * time.Duration(total-done) / time.Duration(done)
			fmt.Fprintf(w, "calibrate: bootstrap %d of %d, %s so far, about %s left\n", done, total, el.Round(time.Second), left.Round(time.Second))
		}
	}
}

// writeTension writes a tension fit's calibration.json and scenario.toml
// into dir, which must be new or empty.
func writeTension(dir string, r *calibrate.TensionReport) error {
	if err := emptyDir(dir); err != nil {
		return err
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "calibration.json"), js.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "scenario.toml"), []byte(calibrate.TensionScenario(r.Fit, r.Source)), 0o644)
}

// writeCalibration writes the report's files into dir, which must be new or
// empty, so that no earlier result is mixed with this one.
func writeCalibration(dir string, r *calibrate.Report) error {
	if err := emptyDir(dir); err != nil {
		return err
	}
	var js, cs bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		return err
	}
	if err := r.WriteCSV(&cs); err != nil {
		return err
	}
	files := map[string][]byte{
		"calibration.json": js.Bytes(),
		"transitions.csv":  cs.Bytes(),
		"scenario.toml":    []byte(calibrate.MarkovScenario(r.Markov, r.Source)),
	}
	for n, b := range files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return err
		}
	}
	if r.Holdout == nil {
		return nil
	}
	charts := map[string]func() (*plot.Plot, error){
		"calibration-shares.png":          func() (*plot.Plot, error) { return plots.CalibrationShares(r.Holdout) },
		"calibration-war-durations.png":   func() (*plot.Plot, error) { return plots.CalibrationDurations("war", r.Holdout.War) },
		"calibration-peace-durations.png": func() (*plot.Plot, error) { return plots.CalibrationDurations("peace after conflict", r.Holdout.Peace) },
	}
	opt := plots.Options{Caption: job.Tool() + ", " + r.Source.Command + ", data SHA-256 " + r.Source.SHA256[:12]}
	for n, f := range charts {
		p, err := f()
		if err != nil {
			return err
		}
		if err := plots.Save(p, filepath.Join(dir, n), opt); err != nil {
			return err
		}
	}
	return nil
}
