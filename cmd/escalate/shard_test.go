package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Shards merged equal a single run, byte for byte, for several splits and
// scenarios (tension, regional with spillover, markov).
func TestShardsMergeToSingleRun(t *testing.T) {
	for _, scen := range []string{"guinea-2009", "central-asia", "global-baseline"} {
		dir := t.TempDir()
		const runs = "1001"
		whole := filepath.Join(dir, "whole")
		if _, errs, code := escalate(t, "run", scen, "--runs", runs, "--out", whole, "--workers", "2", "--no-plots"); code != 0 {
			t.Fatalf("%s: %s", scen, errs)
		}
		for _, n := range []int{1, 2, 3, 7} {
			var dirs []string
			for i := range n {
				d := filepath.Join(dir, fmt.Sprintf("n%d-s%d", n, i))
				if _, errs, code := escalate(t, "run", scen, "--runs", runs, "--shard", fmt.Sprintf("%d/%d", i, n), "--out", d); code != 0 {
					t.Fatalf("%s shard %d/%d: %s", scen, i, n, errs)
				}
				dirs = append(dirs, d)
			}
			// Merge in reverse order: the order of arguments must not matter.
			for i, j := 0, len(dirs)-1; i < j; i, j = i+1, j-1 {
				dirs[i], dirs[j] = dirs[j], dirs[i]
			}
			merged := filepath.Join(dir, fmt.Sprintf("merged%d", n))
			if _, errs, code := escalate(t, append(append([]string{"merge"}, dirs...), "--out", merged, "--no-plots")...); code != 0 {
				t.Fatalf("%s merge %d: %s", scen, n, errs)
			}
			for _, f := range []string{"summary.json", "months.csv", "aggregates.json", "runs.csv"} {
				a, err1 := os.ReadFile(filepath.Join(whole, f))
				b, err2 := os.ReadFile(filepath.Join(merged, f))
				if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
					t.Errorf("%s, %d shards: %s differs from the single run (%v %v)", scen, n, f, err1, err2)
				}
			}
		}
	}
}

func TestMergeRefusesMismatches(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, args ...string) string {
		d := filepath.Join(dir, name)
		if _, errs, code := escalate(t, append([]string{"run", "testdata/minimal.toml", "--runs", "300", "--no-plots", "--out", d}, args...)...); code != 0 {
			t.Fatal(errs)
		}
		return d
	}
	a0 := run("a0", "--shard", "0/3")
	a1 := run("a1", "--shard", "1/3")
	a2 := run("a2", "--shard", "2/3")
	seed := run("seed", "--shard", "1/3", "--seed", "99")
	set := run("set", "--shard", "1/3", "--set", "intervention.envoy.staff=9")
	two := run("two", "--shard", "1/2")
	runs := filepath.Join(dir, "runs")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "301", "--no-plots", "--shard", "1/3", "--out", runs); code != 0 {
		t.Fatal(errs)
	}
	other := filepath.Join(dir, "other")
	if _, errs, code := escalate(t, "run", "workshop-intro", "--runs", "300", "--seed", "7", "--no-plots", "--shard", "1/3", "--out", other); code != 0 {
		t.Fatal(errs)
	}
	// The same file name and flags, the file edited between shards.
	edited := filepath.Join(dir, "edited")
	scenario := filepath.Join(dir, "s.toml")
	copyFile := func(text []byte) {
		if err := os.WriteFile(scenario, text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	orig, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	copyFile(orig)
	e0 := filepath.Join(dir, "e0")
	if _, errs, code := escalate(t, "run", scenario, "--runs", "300", "--no-plots", "--shard", "0/3", "--out", e0); code != 0 {
		t.Fatal(errs)
	}
	copyFile(bytes.Replace(orig, []byte("staff = "), []byte("staff = 1"), 1))
	if _, errs, code := escalate(t, "run", scenario, "--runs", "300", "--no-plots", "--shard", "1/3", "--out", edited); code != 0 {
		t.Fatal(errs)
	}
	for i, test := range []struct {
		dirs []string
		want string
	}{
		{[]string{a0, a1}, "missing shards 2/3"},
		{[]string{a0, a1, a1, a2}, "duplicate shard 1/3"},
		{[]string{a0, seed, a2}, "seed 99 vs 7"},
		{[]string{a0, set, a2}, "--set intervention.envoy.staff=9 vs none"},
		{[]string{a0, other, a2}, "scenario workshop-intro vs testdata/minimal.toml"},
		{[]string{a0, runs, a2}, "runs 301 vs 300"},
		{[]string{e0, edited}, "SHA-256 differs: was the file edited between shards?"},
		{[]string{a0, two, a2}, "split into 2 vs 3 shards"},
		{[]string{a0, filepath.Join(dir, "nowhere")}, "not found"},
	} {
		_, errs, code := escalate(t, append([]string{"merge"}, test.dirs...)...)
		if code != 1 || !bytes.Contains([]byte(errs), []byte(test.want)) {
			t.Errorf("%d: exit %d: %s (want %q)", i, code, errs, test.want)
		}
	}
	// A damaged aggregates file is refused, not merged.
	agg := filepath.Join(a1, "aggregates.json")
	data, _ := os.ReadFile(agg)
	os.WriteFile(agg, bytes.Replace(data, []byte(`"runs": 100`), []byte(`"runs": 101`), 1), 0o644)
	if _, errs, code := escalate(t, "merge", a0, a1, a2); code != 1 || !bytes.Contains([]byte(errs), []byte("do not add up")) {
		t.Errorf("damaged counts: exit %d: %s", code, errs)
	}
	os.WriteFile(agg, data, 0o644)
	// Counts of runs at war edited to disagree with the rest.
	everWar := regexp.MustCompile(`"ever_war": \d+`)
	for _, v := range []string{`"ever_war": -5`, `"ever_war": 1000000`} {
		os.WriteFile(agg, everWar.ReplaceAll(data, []byte(v)), 0o644)
		if _, errs, code := escalate(t, "merge", a0, a1, a2); code != 1 || !strings.Contains(errs, agg+": ") || !strings.Contains(errs, "counts of runs at war disagree") {
			t.Errorf("%s: exit %d: %s", v, code, errs)
		}
	}
	// Bins edited so that their sum wraps around int64 to the run count.
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	wm := doc["result"].(map[string]any)["countries"].([]any)[0].(map[string]any)["war_months"].([]any)
	for k := 1; k <= 4; k++ {
		wm[k] = json.Number(fmt.Sprint(int64(wm[k].(float64)) + 1<<62))
	}
	wrapped, _ := json.Marshal(doc)
	os.WriteFile(agg, wrapped, 0o644)
	if _, errs, code := escalate(t, "merge", a0, a1, a2); code != 1 || !strings.Contains(errs, "do not add up") {
		t.Errorf("wrapped counts: exit %d: %s", code, errs)
	}
}

// Shards write no charts (they hold a part of the runs); merge draws the
// charts of the whole.
func TestMergeDrawsCharts(t *testing.T) {
	dir := t.TempDir()
	var dirs []string
	for i := range 2 {
		d := filepath.Join(dir, fmt.Sprintf("s%d", i))
		if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "200", "--shard", fmt.Sprintf("%d/2", i), "--out", d); code != 0 {
			t.Fatal(errs)
		}
		if _, err := os.Stat(filepath.Join(d, "plots")); err == nil {
			t.Errorf("shard %d wrote charts", i)
		}
		dirs = append(dirs, d)
	}
	merged := filepath.Join(dir, "merged")
	if _, errs, code := escalate(t, "merge", dirs[0], dirs[1], "--out", merged, "--plot-format", "svg"); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(merged, "plots", "dashboard.svg")); err != nil {
		t.Errorf("merge drew no dashboard: %v", err)
	}
}

// A shard that holds no runs (more shards than runs) says so, and still
// merges with the others into the whole.
func TestEmptyShard(t *testing.T) {
	out, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "3", "--shard", "0/5")
	if code != 0 || !strings.Contains(out, "it holds none of the 3 runs") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
	dir := t.TempDir()
	var dirs []string
	for i := range 5 {
		d := filepath.Join(dir, fmt.Sprint(i))
		if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "3", "--shard", fmt.Sprintf("%d/5", i), "--out", d); code != 0 {
			t.Fatalf("shard %d: %s", i, errs)
		}
		dirs = append(dirs, d)
	}
	merged, errs, code := escalate(t, append([]string{"merge", "--format", "json"}, dirs...)...)
	whole, _, _ := escalate(t, "run", "testdata/minimal.toml", "--runs", "3", "--format", "json")
	if code != 0 || merged != whole {
		t.Errorf("merge of 5 shards of 3 runs: exit %d %s; differs from the whole: %v", code, errs, merged != whole)
	}
}
