package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var shardArgs = []string{"explore", "guinea-2009", "--runs", "60", "--seed", "9", "--design", "sobol", "--samples", "4",
	"--uncertain", "country.guinea.volatility=uniform:0.03:0.09",
	"--uncertain", "intervention.unowa.startup_delay_months=integer:0:6",
	"--satisfice", "0.2", "--find", "p_war > 0.3"}

func exploreWith(t *testing.T, extra ...string) {
	t.Helper()
	args := append(append([]string{}, shardArgs...), extra...)
	if _, errs, code := escalate(t, args...); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
}

// files returns every file under dir by its relative path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Three shards merged give one process's explore.json, experiments.csv
// and charts, byte for byte; the merge refuses missing, duplicate and
// foreign shards, saying which.
func TestExploreShardsMerge(t *testing.T) {
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one")
	exploreWith(t, "--out", one)
	var shards []string
	for i := range 3 {
		d := filepath.Join(tmp, "s"+string(rune('0'+i)))
		exploreWith(t, "--shard", string(rune('0'+i))+"/3", "--out", d)
		shards = append(shards, d)
	}
	merged := filepath.Join(tmp, "merged")
	// Out of order on the command line: merge orders them.
	out, errs, code := escalate(t, "merge", shards[2], shards[0], shards[1], "--out", merged)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Merged 3 shards.") || !strings.Contains(out, "Robustness across futures") {
		t.Errorf("merge output:\n%s", out)
	}
	want, got := files(t, one), files(t, merged)
	if len(want) < 4 {
		t.Fatalf("one process wrote only %d files", len(want))
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s differs between one process and the merged shards", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("merged %d files, one process %d", len(got), len(want))
	}
	// --no-plots: the same explore.json without charts.
	bare := filepath.Join(tmp, "bare")
	if _, errs, code := escalate(t, "merge", shards[0], shards[1], shards[2], "--out", bare, "--no-plots"); code != 0 {
		t.Fatalf("merge --no-plots: exit %d: %s", code, errs)
	}
	if b := files(t, bare); !bytes.Equal(b["explore.json"], want["explore.json"]) || b["futures.png"] != nil {
		t.Errorf("merge --no-plots wrote %d files, explore.json equal: %v", len(b), bytes.Equal(b["explore.json"], want["explore.json"]))
	}

	seed := filepath.Join(tmp, "seed")
	seedArgs := append([]string{}, shardArgs...)
	seedArgs[5] = "10" // --seed
	if _, errs, code := escalate(t, append(seedArgs, "--shard", "1/3", "--out", seed)...); code != 0 {
		t.Fatalf("explore --seed 10: %s", errs)
	}
	four := filepath.Join(tmp, "four")
	exploreWith(t, "--shard", "1/4", "--out", four)
	// A shard written by another version of escalate.
	older := filepath.Join(tmp, "older")
	if err := os.MkdirAll(older, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(shards[0], "shard.json"))
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"version":"escalate `), []byte(`"version":"escalate 0.0.1-`), 1)
	if err := os.WriteFile(filepath.Join(older, "shard.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"missing", []string{shards[0], shards[2]}, "missing shards 1/3"},
		{"duplicate", []string{shards[0], shards[1], shards[1], shards[2]}, "duplicate shard 1/3 in both"},
		{"other seed", []string{shards[0], seed, shards[2]}, "are not shards of the same exploration: seed 10 vs 9"},
		{"other split", []string{shards[0], four, shards[2]}, "split into 4 vs 3 shards"},
		{"not a shard", []string{shards[0], one}, "is not an explore shard"},
		{"other version", []string{older, shards[1], shards[2]}, "older was written by escalate 0.0.1-"},
	} {
		_, errs, code := escalate(t, append([]string{"merge"}, tc.dirs...)...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: exit %d, %q; want an error saying %q", tc.name, code, errs, tc.want)
		}
	}
	if _, errs, code := escalate(t, append(append([]string{}, shardArgs...), "--shard", "0/3")...); code == 0 || !strings.Contains(errs, "needs --out") {
		t.Errorf("--shard without --out: exit %d: %s", code, errs)
	}
}

// escalate replay explore.json re-runs the recorded job: the file passes
// unchanged, and fails with an edited job field or an edited result.
func TestExploreReplay(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "ex")
	exploreWith(t, "--out", dir, "--charts=false")
	path := filepath.Join(dir, "explore.json")
	out, errs, code := escalate(t, "replay", path)
	if code != 0 || !strings.Contains(out, "byte-identical") {
		t.Fatalf("replay: exit %d: %s%s", code, out, errs)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		// The job's fields are indented by four spaces, the results' by two.
		{"job runs", `    "runs": 60,`, `    "runs": 59,`, "DIFFERS"},
		{"job seed", `    "seed": 9,`, `    "seed": 8,`, "DIFFERS"},
		{"job satisfice", `    "satisfice": 0.2,`, `    "satisfice": 0.3,`, "DIFFERS"},
		{"job uncertain", `uniform = [0.03, 0.09]"`, `uniform = [0.03, 0.08]"`, "DIFFERS"},
		{"a result", `"p_war_mean": 0.`, `"p_war_mean": 0.0`, "DIFFERS"},
		{"job design", `    "design": "sobol",`, `    "design": "grid",`, `design "grid" is not one of`},
		{"job strategies", `      "none",`, `      "nobody",`, "its strategies are none, historical"},
		{"no job (an older explore.json)", `"job": {`, `"old": {`, "records no job"},
		{"job unknown field", `    "design": "sobol",`, `    "designs": "sobol",`, `unknown field "designs"`},
	} {
		if !bytes.Contains(data, []byte(tc.old)) {
			t.Fatalf("%s: explore.json lacks %s", tc.name, tc.old)
		}
		edited := filepath.Join(tmp, strings.ReplaceAll(tc.name, " ", "-")+".json")
		i := bytes.Index(data, []byte(tc.old))
		b := append(append(append([]byte{}, data[:i]...), tc.new...), data[i+len(tc.old):]...)
		if err := os.WriteFile(edited, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, errs, code := escalate(t, "replay", edited)
		if code == 0 || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%s edited: exit %d, %s%s; want a failure saying %q", tc.name, code, out, errs, tc.want)
		}
	}
}

// A scenario file edited after the exploration is refused by replay, with
// its SHA-256, before anything runs.
func TestExploreReplayEditedScenario(t *testing.T) {
	tmp := t.TempDir()
	sc := filepath.Join(tmp, "s.toml")
	show, err := os.ReadFile("../../scenarios/guinea-2009.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sc, show, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "ex")
	args := append([]string{"explore", sc}, shardArgs[2:]...)
	if _, errs, code := escalate(t, append(args, "--out", dir, "--charts=false")...); code != 0 {
		t.Fatalf("explore: %s", errs)
	}
	// Moved, and named with --scenario, it replays.
	moved := filepath.Join(tmp, "elsewhere", "s.toml")
	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(sc, moved); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := escalate(t, "replay", "--scenario", moved, filepath.Join(dir, "explore.json")); code != 0 || !strings.Contains(out, "byte-identical") {
		t.Errorf("replay --scenario MOVED: exit %d: %s%s", code, out, errs)
	}
	if _, errs, code := escalate(t, "replay", filepath.Join(dir, "explore.json")); code == 0 || !strings.Contains(errs, "s.toml") {
		t.Errorf("replay with the scenario gone: exit %d: %s", code, errs)
	}
	b := bytes.Replace(show, []byte("volatility = "), []byte("volatility = 0.0001 # "), 1)
	if bytes.Equal(b, show) {
		t.Fatal("no volatility to edit")
	}
	if err := os.WriteFile(sc, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := escalate(t, "replay", filepath.Join(dir, "explore.json"))
	if code == 0 || !strings.Contains(errs, "has changed since the job ran") {
		t.Errorf("replay after editing the scenario: exit %d: %s", code, errs)
	}
}

// A shard prints no report, so --format json with --shard is refused.
func TestExploreShardFormat(t *testing.T) {
	args := append(append([]string{}, shardArgs...), "--shard", "0/2", "--out", filepath.Join(t.TempDir(), "s"), "--format", "json")
	if _, errs, code := escalate(t, args...); code != 2 || !strings.Contains(errs, "prints no report") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
