package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var exploreArgs = []string{"explore", "guinea-2009", "--runs", "200", "--seed", "9",
	"--uncertain", "country.guinea.volatility=uniform=[0.03, 0.09]",
	"--uncertain", "intervention.unowa.startup_delay_months=integer=[0, 6]",
	"--uncertain", "intervention.ohchr.kind=choice=[\"monitoring\", \"mediation\"]"}

// A row of experiments.csv is what escalate run --strategy ID --set
// PATH=VALUE ... gives with the row's values: same runs, same seed, the
// same P(war) to the last digit.
func TestExploreRowEqualsRunSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ex")
	args := append(append([]string{}, exploreArgs...), "--design", "lhs", "--samples", "3", "--out", dir, "--charts=false")
	if _, errs, code := escalate(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(filepath.Join(dir, "experiments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if len(rows) != 1+3*4 {
		t.Fatalf("%d rows, want 1 + 3 points x 4 strategies", len(rows))
	}
	for _, row := range rows[1:] {
		run := []string{"run", "guinea-2009", "--runs", "200", "--seed", "9", "--strategy", row[1], "--format", "json"}
		for j := 2; j < 5; j++ {
			if row[1] == "none" && strings.HasPrefix(head[j], "intervention.") {
				// run refuses to set a key of a mission the strategy
				// switches off; explore sets it, to no effect.
				continue
			}
			v := row[j]
			if head[j] == "intervention.ohchr.kind" {
				v = strconv.Quote(v)
			}
			run = append(run, "--set", head[j]+"="+v)
		}
		out, errs, code := escalate(t, run...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", run, code, errs)
		}
		var s struct {
			Countries []struct {
				PWar float64 `json:"p_war"`
			} `json:"countries"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if got := strconv.FormatFloat(s.Countries[0].PWar, 'g', 8, 64); got != row[5] {
			t.Errorf("point %s strategy %s: escalate run --set gives P(war) %s, explore %s", row[0], row[1], got, row[5])
		}
	}
	for _, name := range []string{"explore.json", "experiments.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(dir + ".partial"); !os.IsNotExist(err) {
		t.Errorf("partial directory left behind: %v", err)
	}
}

// The JSON has the shape.
func TestExploreJSONShape(t *testing.T) {
	args := append(append([]string{}, exploreArgs...), "--design", "sobol", "--samples", "8", "--satisfice", "0.2", "--format", "json")
	out, errs, code := escalate(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Design      string
		Samples     int
		Runs        int
		Seed        int
		Uncertain   []map[string]any
		Sensitivity []struct {
			Output     string
			Strategy   string
			Parameters []map[string]any
		}
		Robustness []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Design != "sobol" || doc.Samples != 8 || doc.Runs != 200 || doc.Seed != 9 || len(doc.Uncertain) != 3 {
		t.Errorf("header: %+v", doc)
	}
	if d, _ := json.Marshal(doc.Uncertain[0]["distribution"]); string(d) != `{"uniform":[0.03,0.09]}` {
		t.Errorf("distribution %s", d)
	}
	if len(doc.Sensitivity) != 3*7 { // 3 outputs x (4 strategies + 3 differences)
		t.Errorf("%d sensitivity entries", len(doc.Sensitivity))
	}
	for _, k := range []string{"path", "first_order", "first_order_ci95", "total", "total_ci95"} {
		if _, ok := doc.Sensitivity[1].Parameters[0][k]; !ok {
			t.Errorf("sensitivity parameter without %q", k)
		}
	}
	for _, k := range []string{"strategy", "p_war_mean", "p_war_p10", "p_war_p90", "regret_mean", "regret_max", "satisficing_share"} {
		if _, ok := doc.Robustness[0][k]; !ok {
			t.Errorf("robustness without %q", k)
		}
	}
}

func TestExploreErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"explore", "guinea-2009", "--runs", "10"}, 2, "no uncertain keys"},
		{[]string{"explore", "guinea-2009", "--uncertain", "country.guinea.volatility=uniform=[0.03]"}, 2, "uniform takes 2 numbers"},
		{[]string{"explore", "guinea-2009", "--uncertain", "country.guinea.volatility=uniform=[0.03, 2]"}, 1, "must be between 0 and 1, got 2"},
		{[]string{"explore", "guinea-2009", "--uncertain", "country.guinea.volatility=uniform=[0.03, 0.09]", "--design", "grid"}, 2, `unknown design "grid"`},
		{[]string{"explore", "guinea-2009", "--uncertain", "country.guinea.volatility=uniform=[0.03, 0.09]", "--find", "p_war = 1"}, 2, "want OUTCOME OP VALUE"},
		{[]string{"explore"}, 2, "want one scenario"},
	} {
		_, errs, code := escalate(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}

// An exploration estimated beyond the patience limit is refused without
// --yes, before anything runs or is written, as run and compare refuse
// their jobs: whole, as a shard, and when a recorded one is replayed.
func TestExploreBudget(t *testing.T) {
	big := []string{"explore", "guinea-2009", "--samples", "4096", "--runs", "100000",
		"--uncertain", "country.guinea.volatility=uniform=[0.03, 0.09]"}
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"whole", big, "ask for fewer --samples or --runs"},
		{"with --out", append(slices.Clone(big), "--out", out), "add --yes"},
		// 12288 points in 2 shards: each is still hours.
		{"shard", append(slices.Clone(big), "--shard", "0/2", "--out", out), "add --yes"},
		// An uncertain shock rate makes points differ: every point counts.
		{"rates", append(slices.Clone(big), "--uncertain", "country.guinea.shock.army.rate_per_year=uniform=[0.5, 100]"), "about 9 hours"},
	} {
		_, errs, code := escalate(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "country-months") {
			t.Errorf("%s: exit %d, %q; want exit 2 naming the estimate and %q", c.name, code, errs, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s: refused job left %s behind (%v)", c.name, out, err)
		}
	}

	// A small exploration, recorded with many more runs by hand, must not
	// start hours of work when replayed.
	dir := filepath.Join(t.TempDir(), "ex")
	args := append(slices.Clone(exploreArgs), "--design", "lhs", "--samples", "4", "--out", dir, "--charts=false")
	if _, errs, code := escalate(t, args...); code != 0 {
		t.Fatalf("explore: exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, "explore.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte(`"runs": 200,`), []byte(`"runs": 100000000,`), -1)
	if bytes.Equal(edited, data) {
		t.Fatal("explore.json records no \"runs\": 200 to edit")
	}
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := escalate(t, "replay", path)
	if code != 2 || !strings.Contains(errs, "add --yes") {
		t.Errorf("replay of a huge exploration: exit %d, %q; want exit 2 and the estimate", code, errs)
	}
}
