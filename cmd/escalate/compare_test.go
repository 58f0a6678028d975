package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

func decodeComparison(t *testing.T, out string) *resultfile.Comparison {
	t.Helper()
	var cf resultfile.Comparison
	if err := json.Unmarshal([]byte(out), &cf); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return &cf
}

// A scenario compared with itself differs by exactly zero, with a
// zero-width interval.
func TestCompareWithItself(t *testing.T) {
	out, errs, code := escalate(t, "compare", "testdata/minimal.toml", "testdata/minimal.toml", "--format", "json", "--runs", "2000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	cf := decodeComparison(t, out)
	v := cf.Strategies[1].VsBaseline
	if v.PWarDiff != 0 || v.PWarDiffCI95 != [2]float64{0, 0} || v.WarMonthsDiff != 0 || v.WarMonthsDiffCI95 != [2]float64{0, 0} {
		t.Errorf("self-comparison: %+v", v)
	}
	if cf.Strategies[0].PWar != cf.Strategies[1].PWar {
		t.Errorf("P(war) %g vs %g", cf.Strategies[0].PWar, cf.Strategies[1].PWar)
	}
}

// The JSON has the shape.
func TestCompareJSONShape(t *testing.T) {
	out, errs, code := escalate(t, "compare", "workshop-intro", "--format", "json", "--runs", "1000", "--strategies", "none,historical")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "runs", "seed", "baseline", "strategies"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if doc["baseline"] != "none" {
		t.Errorf("baseline %v", doc["baseline"])
	}
	s := doc["strategies"].([]any)[1].(map[string]any)
	for _, k := range []string{"name", "p_war", "p_war_ci95", "war_months_mean", "cost_mean", "vs_baseline"} {
		if _, ok := s[k]; !ok {
			t.Errorf("strategy lacks %q", k)
		}
	}
	vb := s["vs_baseline"].(map[string]any)
	for _, k := range []string{"p_war_diff", "p_war_diff_ci95", "war_months_diff", "war_months_diff_ci95"} {
		if _, ok := vb[k]; !ok {
			t.Errorf("vs_baseline lacks %q", k)
		}
	}
}

// On every shipped scenario, with common random numbers, the historical
// missions never give a higher P(war) than no mission, and a larger staff
// and a faster start-up never one higher than the historical missions; common random numbers make the paired interval narrower
// than independent runs would.
func TestStrongerStrategiesNeverWorse(t *testing.T) {
	infos, err := scenarios.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		out, errs, code := escalate(t, "compare", info.Name, "--strategies", "none,historical,fast,staff", "--runs", "3000", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", info.Name, code, errs)
		}
		cf := decodeComparison(t, out)
		byID := map[string]*sim.StrategySummary{}
		for i := range cf.Strategies {
			byID[cf.Strategies[i].ID] = &cf.Strategies[i]
		}
		// stronger never raises P(war) above weaker, for the headline and
		// for every country (the headline of a scenario with several
		// countries can sit at 100% and hide a difference).
		for _, pair := range [][2]string{{"historical", "none"}, {"fast", "historical"}, {"staff", "historical"}} {
			stronger, weaker := byID[pair[0]], byID[pair[1]]
			if stronger.PWar > weaker.PWar {
				t.Errorf("%s: %s P(war) %.4f above %s %.4f", info.Name, pair[0], stronger.PWar, pair[1], weaker.PWar)
			}
			// Where war is certain either way (global-baseline's
			// decades), the time spent at war still tells them apart.
			if stronger.WarMonthsMean > weaker.WarMonthsMean {
				t.Errorf("%s: %s months at war %.3f above %s %.3f", info.Name, pair[0], stronger.WarMonthsMean, pair[1], weaker.WarMonthsMean)
			}
			for c := range stronger.ByCountry {
				s, w := stronger.ByCountry[c], weaker.ByCountry[c]
				if s.PWar > w.PWar {
					t.Errorf("%s: %s: %s P(war) %.4f above %s %.4f", info.Name, s.ID, pair[0], s.PWar, pair[1], w.PWar)
				}
			}
		}
		for _, s := range cf.Strategies[1:] {
			if r := s.VsBaseline.CRNVarianceRatio; r != nil && *r < 1 {
				t.Errorf("%s: %s: common random numbers increased the variance (ratio %.2f)", info.Name, s.ID, *r)
			}
		}
	}
}

func TestCompareErrors(t *testing.T) {
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "workshop-intro", "--strategies", "none,ghost"}, `no strategy "ghost"`},
		{[]string{"compare", "workshop-intro", "--strategies", "none"}, "want at least two strategies"},
		{[]string{"compare", "workshop-intro", "--strategies", "none,none"}, "listed twice"},
		{[]string{"compare", "testdata/minimal.toml", "workshop-intro"}, "use --horizon to make them equal"},
		{[]string{"compare", "testdata/minimal.toml", "workshop-intro", "--horizon", "36"}, "same countries"},
		{[]string{"compare"}, "want a scenario with strategies"},
	} {
		_, errs, code := escalate(t, test.args...)
		if code == 0 || !strings.Contains(errs, test.want) {
			t.Errorf("%d: exit %d, stderr %q, want %q", i, code, errs, test.want)
		}
	}
}

// Every sweep point equals a run with --set and the same seed.
func TestSweepPointsEqualRuns(t *testing.T) {
	out, errs, code := escalate(t, "sweep", "guinea-2009", "--vary", "intervention.unowa.startup_delay_months=0:6:3",
		"--vary", "intervention.unowa.staff=2,8", "--runs", "1500", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sw resultfile.Sweep
	if err := json.Unmarshal([]byte(out), &sw); err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 6 {
		t.Fatalf("%d points, want 3 x 2", len(sw.Points))
	}
	for _, p := range sw.Points {
		out, errs, code := escalate(t, "run", "guinea-2009", "--runs", "1500", "--format", "json",
			"--set", "intervention.unowa.startup_delay_months="+p.Values[0], "--set", "intervention.unowa.staff="+p.Values[1])
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var sf resultfile.Summary
		if err := json.Unmarshal([]byte(out), &sf); err != nil {
			t.Fatal(err)
		}
		c := sf.Countries[0]
		if c.PWar != p.PWar || c.PWarCI95 != p.PWarCI95 || c.WarMonths.Mean != p.WarMonthsMean || sf.Cost.Mean != p.CostMean {
			t.Errorf("point %v: sweep P(war) %g months %g cost %g; run %g %g %g", p.Values, p.PWar, p.WarMonthsMean, p.CostMean, c.PWar, c.WarMonths.Mean, sf.Cost.Mean)
		}
	}
}

func TestSweepCSVHeaderAndRanges(t *testing.T) {
	out, errs, code := escalate(t, "sweep", "workshop-intro", "--vary", "model.war_threshold=0.7:0.8:0.05", "--runs", "200", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "model.war_threshold,p_war,p_war_lo,p_war_hi,war_months_mean,cost_mean") {
		t.Errorf("header %q", lines[0])
	}
	var firsts []string
	for _, l := range lines[1:] {
		firsts = append(firsts, strings.Split(l, ",")[0])
	}
	if strings.Join(firsts, " ") != "0.7 0.75 0.8" {
		t.Errorf("values %v", firsts)
	}
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "workshop-intro"}, "give --vary once or twice"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.ghost.staff=1,2"}, `no intervention "ghost"`},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.startup_delay_months=0:3:0.5"}, "must be a whole number"},
		{[]string{"sweep", "workshop-intro", "--vary", "model.war_threshold=0.8:0.7:0.1"}, "want FROM <= TO and STEP > 0"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=1:2"}, "a range is FROM:TO:STEP, three numbers"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=0:1000000:1"}, "more than 10000"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,4,2"}, "value 2 listed twice"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,2.0"}, "value 2.0 listed twice (as 2)"},
		{[]string{"compare", "workshop-intro", "--vary", "intervention.mediators.staff=1,1"}, "value 1 listed twice"},
	} {
		_, errs, code := escalate(t, test.args...)
		if code == 0 || !strings.Contains(errs, test.want) {
			t.Errorf("%d: exit %d, stderr %q, want %q", i, code, errs, test.want)
		}
	}
}

// --ci-width adds runs until the interval is narrow enough, and the result
// equals a plain run of the reported number of runs.
func TestCIWidth(t *testing.T) {
	out, errs, code := escalate(t, "run", "workshop-intro", "--runs", "500", "--ci-width", "0.03", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sf resultfile.Summary
	if err := json.Unmarshal([]byte(out), &sf); err != nil {
		t.Fatal(err)
	}
	ci := sf.Countries[0].PWarCI95
	if ci[1]-ci[0] >= 0.03 || sf.Runs <= 500 {
		t.Errorf("runs %d, interval width %g", sf.Runs, ci[1]-ci[0])
	}
	plain, _, _ := escalate(t, "run", "workshop-intro", "--runs", strings.TrimSpace(jsonInt(sf.Runs)), "--format", "json")
	if plain != out {
		t.Error("--ci-width result differs from a plain run of the same number of runs")
	}
}

// When --max-runs stops --ci-width short of its target, a JSON or CSV user
// is told so on stderr, and stdout stays clean data.
func TestCIWidthCapNoted(t *testing.T) {
	for _, format := range []string{"json", "csv"} {
		for _, cmd := range []string{"run", "compare"} {
			out, errs, code := escalate(t, cmd, "workshop-intro", "--runs", "200", "--ci-width", "0.001", "--max-runs", "400", "--format", format)
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", cmd, format, code, errs)
			}
			if !strings.Contains(errs, "Stopped at the --max-runs cap: 400 runs") {
				t.Errorf("%s %s: stderr %q, want the cap note", cmd, format, errs)
			}
			if strings.Contains(out, "Stopped at") {
				t.Errorf("%s %s: the note went to stdout", cmd, format)
			}
			if format == "json" && !json.Valid([]byte(out)) {
				t.Errorf("%s: stdout is not valid JSON", cmd)
			}
		}
	}
	// Without --ci-width nothing is said on stderr.
	if _, errs, _ := escalate(t, "run", "workshop-intro", "--runs", "200", "--format", "json"); errs != "" {
		t.Errorf("plain run wrote to stderr: %q", errs)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// compare --vary answers "what does a faster start-up buy" in one command,
// and its paired interval is narrower than independent runs would give.
func TestCompareVary(t *testing.T) {
	out, errs, code := escalate(t, "compare", "guinea-2009", "--vary", "intervention.unowa.startup_delay_months=6,1", "--runs", "3000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	cf := decodeComparison(t, out)
	if len(cf.Strategies) != 2 || cf.Baseline != "intervention.unowa.startup_delay_months=6" {
		t.Fatalf("variants %+v", cf.Strategies)
	}
	v := cf.Strategies[1].VsBaseline
	if !(v.PWarDiff < 0 && v.PWarDiffCI95[1] < 0) {
		t.Errorf("a faster start-up: difference %g %v, want clearly negative", v.PWarDiff, v.PWarDiffCI95)
	}
	if v.CRNVarianceRatio == nil || *v.CRNVarianceRatio < 2 {
		t.Errorf("variance ratio %v, want common random numbers to help", v.CRNVarianceRatio)
	}
	if !strings.Contains(cf.Provenance.Command, "--vary intervention.unowa.startup_delay_months=6,1") {
		t.Errorf("command %q does not reproduce the comparison", cf.Provenance.Command)
	}
}

// compare and sweep --out write JSON and CSV (with the provenance comment)
// and the JSON equals the --format json output.
func TestCompareAndSweepOut(t *testing.T) {
	dir := t.TempDir()
	for _, test := range []struct {
		args []string
		name string
	}{
		{[]string{"compare", "workshop-intro", "--runs", "300"}, "comparison"},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,4", "--runs", "300"}, "sweep"},
	} {
		out := filepath.Join(dir, test.name)
		stdout, errs, code := escalate(t, append(test.args, "--out", out, "--format", "json")...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", test.name, code, errs)
		}
		js, err := os.ReadFile(filepath.Join(out, test.name+".json"))
		if err != nil || string(js) != stdout {
			t.Errorf("%s.json differs from --format json (%v)", test.name, err)
		}
		csv, err := os.ReadFile(filepath.Join(out, test.name+".csv"))
		if err != nil || !strings.HasPrefix(string(csv), "# escalate "+job.Version+"; scenario sha256 ") || !strings.Contains(string(csv), "reproduce with: escalate "+test.args[0]) {
			t.Errorf("%s.csv lacks its provenance comment: %.200s (%v)", test.name, csv, err)
		}
	}
}

// --country heads a comparison or a sweep with one country's war: the
// figures are that country's, the provenance command repeats the flag, and
// an unknown country is a usage error with nothing written.
func TestHeadlineCountry(t *testing.T) {
	out, errs, code := escalate(t, "compare", "central-asia", "--strategies", "none,historical", "--runs", "1000",
		"--country", "kyrgyzstan", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	cf := decodeComparison(t, out)
	if cf.Headline.Country != "kyrgyzstan" || cf.Headline.Name != "Kyrgyzstan" {
		t.Errorf("headline %+v", cf.Headline)
	}
	for _, s := range cf.Strategies {
		if s.ByCountry[0].ID != "kyrgyzstan" || s.PWar != s.ByCountry[0].PWar || s.CostMean != s.ByCountry[0].CostMean {
			t.Errorf("%s: headline P(war) %g cost %g, Kyrgyzstan %+v", s.ID, s.PWar, s.CostMean, s.ByCountry[0])
		}
	}
	if !strings.Contains(cf.Provenance.Command, "--country kyrgyzstan") {
		t.Errorf("command %q drops --country", cf.Provenance.Command)
	}

	out, errs, code = escalate(t, "sweep", "central-asia", "--vary", "intervention.unrcca.staff=5,20", "--runs", "1000",
		"--country", "tajikistan", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sw resultfile.Sweep
	if err := json.Unmarshal([]byte(out), &sw); err != nil {
		t.Fatal(err)
	}
	run, errs, code := escalate(t, "run", "central-asia", "--set", "intervention.unrcca.staff=20", "--runs", "1000", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sf resultfile.Summary
	if err := json.Unmarshal([]byte(run), &sf); err != nil {
		t.Fatal(err)
	}
	tj := sf.Countries[1]
	if p := sw.Points[1]; tj.ID != "tajikistan" || p.PWar != tj.PWar || p.WarMonthsMean != tj.WarMonths.Mean || p.CostMean != tj.Cost.Mean {
		t.Errorf("sweep point %+v; run gives Tajikistan %g, %g months, cost %g", p, tj.PWar, tj.WarMonths.Mean, tj.Cost.Mean)
	}

	dir := filepath.Join(t.TempDir(), "out")
	for _, cmd := range []string{"compare", "sweep"} {
		args := []string{cmd, "central-asia", "--country", "atlantis", "--runs", "100", "--out", dir}
		if cmd == "sweep" {
			args = append(args, "--vary", "intervention.unrcca.staff=5,20")
		}
		_, errs, code := escalate(t, args...)
		if code != 2 || !strings.Contains(errs, `no country "atlantis" in central-asia: want one of kyrgyzstan, tajikistan`) {
			t.Errorf("%s --country atlantis: exit %d, stderr %q", cmd, code, errs)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: a bad --country left %s behind", cmd, dir)
		}
	}
}

// For several countries the table has a block per country, and a headline
// that every strategy shares (any country at war, 100%) is called out.
func TestCompareTableCountries(t *testing.T) {
	out, errs, code := escalate(t, "compare", "global-baseline", "--runs", "500", "--strategies", "none,strong", "--country", "any")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Outcome: war in any of Country at peace, Country in minor conflict, Country at war, in at least one month.",
		"Every strategy has P(war) 100.0% for war in any of Country at peace, Country in minor conflict, Country at war, so P(war) cannot tell them apart",
		"By country (mean cost: the missions' staff deployed there):",
		"Country in minor conflict  No mission",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = escalate(t, "compare", "guinea-2009", "--runs", "500")
	if strings.Contains(out, "By country") || strings.Contains(out, "cannot tell them apart") {
		t.Errorf("single-country table with a country block or a degenerate-headline note:\n%s", out)
	}
}

// Compare and sweep tables say which strategy and overrides every variant
// shares, and varying a key of a mission the strategy switched off is
// refused.
func TestSharedSettingsShown(t *testing.T) {
	out, errs, code := escalate(t, "sweep", "guinea-2009", "--strategy", "fast", "--vary", "intervention.unowa.staff=1,30",
		"--set", "country.guinea.volatility=0.05", "--runs", "200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"\n  starting from strategy fast\n", "\n  with country.guinea.volatility=0.05\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("sweep table lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = escalate(t, "compare", "guinea-2009", "--set", "country.guinea.volatility=0.05", "--runs", "200")
	if !strings.Contains(out, "\n  with country.guinea.volatility=0.05\n") {
		t.Errorf("compare table lacks the override:\n%s", out)
	}
	for _, cmd := range []string{"sweep", "compare"} {
		_, errs, code := escalate(t, cmd, "guinea-2009", "--strategy", "none", "--vary", "intervention.unowa.staff=1,30", "--runs", "200")
		if code != 2 || !strings.Contains(errs, "strategy none switches intervention unowa off") {
			t.Errorf("%s: exit %d: %s", cmd, code, errs)
		}
	}
}

// sweep --ci-width adds runs to every point until each point's interval is
// narrow enough; the result is a plain sweep of the reported runs, and it
// replays.
func TestSweepCIWidth(t *testing.T) {
	args := []string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,8", "--format", "json"}
	out, errs, code := escalate(t, append(args, "--runs", "300", "--ci-width", "0.05")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sw resultfile.Sweep
	if err := json.Unmarshal([]byte(out), &sw); err != nil {
		t.Fatal(err)
	}
	if sw.Runs <= 300 {
		t.Errorf("ran %d runs, no more than the 300 to start from", sw.Runs)
	}
	for _, p := range sw.Points {
		if w := p.PWarCI95[1] - p.PWarCI95[0]; w >= 0.05 {
			t.Errorf("point %v: interval %.4f wide", p.Values, w)
		}
	}
	plain, _, _ := escalate(t, append(args, "--runs", jsonInt(sw.Runs))...)
	if plain != out {
		t.Error("--ci-width result differs from a plain sweep of the same runs")
	}
	dir := t.TempDir()
	if _, errs, code := escalate(t, "sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,8", "--runs", "300", "--ci-width", "0.05", "--out", dir+"/s", "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	if stdout, errs, code := escalate(t, "replay", dir+"/s/sweep.json"); code != 0 || !strings.Contains(stdout, "byte-identical") {
		t.Errorf("replay: exit %d: %s %s", code, stdout, errs)
	}
}

// comparison.csv has comparison.json's per-country rows, each saying which
// outcome it counts.
func TestComparisonCSVCountries(t *testing.T) {
	out, errs, code := escalate(t, "compare", "central-asia", "--runs", "200", "--strategies", "none,historical", "--format", "csv")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+2+2*5 {
		t.Fatalf("%d lines, want a header, 2 headline rows and 10 country rows:\n%s", len(lines), out)
	}
	if !strings.HasSuffix(lines[0], ",outcome,country") || !strings.HasSuffix(lines[1], ",war in any country,") {
		t.Errorf("header or headline row: %q, %q", lines[0], lines[1])
	}
	if !strings.HasPrefix(lines[3], "none,") || !strings.HasSuffix(lines[3], ",war in Kyrgyzstan,kyrgyzstan") {
		t.Errorf("first country row: %q", lines[3])
	}
	for _, l := range lines {
		if got := strings.Count(l, ","); got != strings.Count(lines[0], ",") {
			t.Errorf("row with %d commas: %q", got, l)
		}
	}
}

// --table-width fits compare's tables into a projector's columns: the
// headings wrap at 150, each strategy becomes a block at 80.
func TestCompareTableWidth(t *testing.T) {
	for _, width := range []int{150, 80} {
		out, errs, code := escalate(t, "compare", "central-asia", "--runs", "200", "--table-width", fmt.Sprint(width))
		if code != 0 {
			t.Fatal(errs)
		}
		inTable := false
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "Strategy") || strings.HasPrefix(l, "Country") || strings.HasPrefix(l, "No mission") {
				inTable = true
			}
			if strings.HasPrefix(l, "Common random numbers") || strings.HasPrefix(l, "By country") {
				inTable = false
			}
			if inTable && len([]rune(l)) > width {
				t.Errorf("--table-width %d: a table line of %d characters: %q", width, len([]rune(l)), l)
			}
		}
		if width == 80 && !strings.Contains(out, "\nNo mission\n  P(war): ") {
			t.Errorf("--table-width 80 did not write a block per strategy:\n%s", out)
		}
	}
}
