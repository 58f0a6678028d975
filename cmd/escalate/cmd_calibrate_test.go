package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/calibrate"
	"github.com/escalate-sim/escalate/scenarios"
)

// TestCalibrateShipped fits the embedded data: the rows from minor conflict
// and war are the published 1971-2009 ones.
func TestCalibrateShipped(t *testing.T) {
	out, errs, code := escalate(t, "calibrate", "--from", "1971", "--to", "2009", "--resamples", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"Annual transitions 1971-2009 fitted to UcdpPrioConflict_v23_1.csv", "6157 country-years",
		"minor  712   19.66%", "war    330   6.36%", "70.00%", "Long-run shares"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
}

// TestCalibrateJSON checks the shape given in the issue, with a holdout.
func TestCalibrateJSON(t *testing.T) {
	out, errs, code := escalate(t, "calibrate", "--from", "1990", "--holdout", "2015", "--format", "json", "--resamples", "50", "--sims", "20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Data struct {
			File, SHA256 string
			Coding       map[string]any
		}
		From, To     int
		Stages       []string
		CountryYears int `json:"country_years"`
		Transitions  struct {
			Counts        [3][3]int
			Probabilities [3][3]float64
			Low           [3][3]float64 `json:"ci95_low"`
			High          [3][3]float64 `json:"ci95_high"`
		}
		Stationary []float64
		Holdout    map[string]any
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Data.SHA256 != "300dadc288a992536b491ed9f7d871917992396acaaa698f635aaec73618a0de" || doc.From != 1990 || doc.To != 2022 ||
		len(doc.Stages) != 3 || doc.CountryYears == 0 || len(doc.Stationary) != 3 || doc.Data.Coding["partial_years"] != "any-day" {
		t.Errorf("unexpected document: %+v", doc)
	}
	for i := range 3 {
		if !(doc.Transitions.Low[i][i] <= doc.Transitions.Probabilities[i][i] && doc.Transitions.Probabilities[i][i] <= doc.Transitions.High[i][i]) {
			t.Errorf("row %d: estimate outside its interval", i)
		}
	}
	for _, k := range []string{"from", "to", "brier", "brier_persistence", "brier_base_rates", "log_score", "log_score_persistence", "log_score_base_rates"} {
		if _, ok := doc.Holdout[k]; !ok {
			t.Errorf("holdout lacks %q", k)
		}
	}
	if doc.Holdout["from"].(float64) != 2015 {
		t.Errorf("holdout from %v", doc.Holdout["from"])
	}
}

// TestCalibratePanelFile fits a plain panel and writes the output files.
func TestCalibratePanelFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, errs, code := escalate(t, "calibrate", "testdata/calibrate/panel.csv", "--format", "csv", "--resamples", "20", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Transitions 2001-2004 from none: a 1 (to minor), b 3 (none, minor,
	// none), c 2 (none, minor): 3 of 6 stay.
	want := "from,to,count,probability,ci95_low,ci95_high\nnone,none,3,0.5,"
	if !strings.HasPrefix(out, want) {
		t.Errorf("csv starts %q, want %q", out[:min(len(out), 80)], want)
	}
	for _, f := range []string{"calibration.json", "transitions.csv", "scenario.toml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "scenario.toml"))
	if _, err := scenarios.Parse("scenario.toml", b); err != nil {
		t.Errorf("the written scenario does not load: %v", err)
	}
	// A second run into the same directory is refused.
	if _, errs, code := escalate(t, "calibrate", "testdata/calibrate/panel.csv", "--resamples", "20", "--out", dir); code != 1 || !strings.Contains(errs, "not empty") {
		t.Errorf("second --out: exit %d, %s", code, errs)
	}
}

func TestCalibrateErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"testdata/calibrate/bad-stage.csv"}, 1, "testdata/calibrate/bad-stage.csv:3: column stage: stage \"5\""},
		{[]string{"--from", "1900"}, 2, "the data cover 1946-2022"},
		{[]string{"--format", "xml"}, 2, "--format"},
		{[]string{"--types", "3,9"}, 2, "--types"},
		{[]string{"--partial-years", "half"}, 2, "partial years"},
		{[]string{"--holdout", "1950", "--from", "1971"}, 1, "--holdout 1950 must be after --from 1971"},
		{[]string{"a.csv", "b.csv"}, 2, "one data file at most"},
		{[]string{"testdata/calibrate/missing.csv"}, 1, "missing.csv"},
		{[]string{"--dynamics", "ode"}, 2, "--dynamics \"ode\": want markov or tension"},
		{[]string{"--dynamics", "tension", "--holdout", "2015"}, 2, "--holdout works with --dynamics markov only"},
		{[]string{"--dynamics", "tension", "--format", "csv"}, 2, "--format csv works with --dynamics markov only"},
		{[]string{"--dynamics", "tension", "--bootstrap", "5"}, 2, "--bootstrap 5: want 0 (the sandwich intervals) or at least 20 replicates"},
		{[]string{"--bootstrap", "50"}, 2, "--bootstrap works with --dynamics tension only"},
	} {
		_, errs, code := escalate(t, append([]string{"calibrate", "--resamples", "10"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
}

// TestGlobalBaselineIsGenerated checks that the shipped global-baseline's
// transitions are exactly what the command writes from the shipped data
// (regenerate: escalate calibrate --from 1971 --to 2009 --into
// scenarios/global-baseline.toml).
func TestGlobalBaselineIsGenerated(t *testing.T) {
	src, err := scenarios.ShippedSource("global-baseline")
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(t.TempDir(), "g.toml")
	if err := os.WriteFile(tmp, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := escalate(t, "calibrate", "--from", "1971", "--to", "2009", "--into", tmp); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, _ := os.ReadFile(tmp)
	if string(got) != string(src) {
		t.Errorf("scenarios/global-baseline.toml is not what escalate calibrate --from 1971 --to 2009 --into writes; regenerate it")
	}
	if !strings.Contains(string(src), calibrate.BlockBegin) {
		t.Error("no generated block")
	}
}

// TestCalibrateCountries codes a small ACD file over a list of states of
// its own: state 2 is independent from March 1997 (so 1997 is its first
// year), a conflict in both countries counts in each, and the interstate
// conflict of 1999 is not counted.
func TestCalibrateCountries(t *testing.T) {
	out, errs, code := escalate(t, "calibrate", "testdata/calibrate/acd.csv", "--countries", "testdata/calibrate/states.csv",
		"--format", "csv", "--resamples", "20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Alpha 1996-1999: minor, war, none, none; Beta 1997-1999: minor,
	// minor, none. Transitions 1997-1999: Alpha minor->war, war->none,
	// none->none; Beta minor->minor, minor->none.
	want := map[string]string{"none,none": "1", "none,minor": "0", "minor,war": "1", "minor,minor": "1", "minor,none": "1", "war,none": "1", "war,war": "0"}
	for k, n := range want {
		if !strings.Contains(out, "\n"+k+","+n+",") {
			t.Errorf("csv lacks %s = %s:\n%s", k, n, out)
		}
	}
	_, errs, code = escalate(t, "calibrate", "testdata/calibrate/acd.csv", "--countries", "testdata/calibrate/acd.csv")
	if code != 1 || !strings.Contains(errs, "testdata/calibrate/acd.csv:1: column conflict_id: unknown column") {
		t.Errorf("ACD file as a list of states: exit %d, %s", code, errs)
	}
}

// TestCalibrateTension fits the tension model with a small effort (one
// simulated panel per evaluation) and checks the JSON and the written
// scenario.
func TestCalibrateTension(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, errs, code := escalate(t, "calibrate", "--dynamics", "tension", "--from", "1971", "--to", "2009", "--sims", "1", "--resamples", "50", "--format", "json", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Dynamics   string
		Parameters []struct {
			Name     string
			Estimate float64
			Low      float64 `json:"ci95_low"`
			High     float64 `json:"ci95_high"`
		}
		Moments []struct {
			Name             string
			Observed, Fitted float64
		}
		Intervals struct {
			Method     string
			Replicates int `json:"bootstrap_replicates"`
		}
		J       float64
		DF      int     `json:"j_df"`
		P       float64 `json:"j_p_value"`
		Command string
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Dynamics != "tension" || len(doc.Parameters) != calibrate.NumTensionParams || len(doc.Moments) != calibrate.NumMoments ||
		doc.DF != calibrate.NumMoments-calibrate.NumTensionParams || !(doc.J >= 0) || !(doc.P >= 0 && doc.P <= 1) ||
		!strings.Contains(doc.Command, "--dynamics tension") || doc.Intervals.Method != "sandwich" || doc.Intervals.Replicates != 0 {
		t.Errorf("unexpected document: %+v", doc)
	}
	if strings.Contains(out, "percentile_ci95") {
		t.Error("percentile intervals without a bootstrap")
	}
	// The observed transitions are the Markov fit's (5115 from none, 20 of them to war; shares smoothed by a third of a count).
	if m := doc.Moments[calibrate.MomentNoneWar]; m.Name != "P(none -> war)" || math.Abs(m.Observed-(20+1.0/3)/5116) > 1e-9 {
		t.Errorf("moment %+v", m)
	}
	for _, p := range doc.Parameters {
		if !(p.Low <= p.Estimate && p.Estimate <= p.High) {
			t.Errorf("%s: estimate %g outside [%g, %g]", p.Name, p.Estimate, p.Low, p.High)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Parse("scenario.toml", b)
	if err != nil {
		t.Fatalf("the written scenario does not load: %v", err)
	}
	if _, err := f.Scenario(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "calibration.json")); err != nil {
		t.Error(err)
	}
}
