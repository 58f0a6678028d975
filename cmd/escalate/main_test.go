package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// escalate runs the command in-process and returns stdout, stderr and the
// exit code main would use.
func escalate(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	if msg := message(err); msg != "" {
		errb.WriteString(msg)
	}
	return out.String(), errb.String(), exitCode(err)
}

func TestRunTable(t *testing.T) {
	out, errs, code := escalate(t, "run", "workshop-intro", "--runs", "500")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Arcadia", "P(war)", "95% interval", "Regional mediation team", "500 runs, seed 2011"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if errs != "" {
		t.Errorf("stderr not empty: %q", errs)
	}
}

// The JSON output has the shape of the contract.
func TestRunJSONShape(t *testing.T) {
	out, errs, code := escalate(t, "run", "testdata/minimal.toml", "--format", "json", "--runs", "300")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "runs", "seed", "horizon_months", "dynamics", "countries", "any_war"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing top-level key %q", k)
		}
	}
	h := int(doc["horizon_months"].(float64))
	c := doc["countries"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "name", "p_war", "p_war_ci95", "final_stage", "time_to_war", "war_months", "war_onsets", "occupancy", "tension_quantiles", "cost"} {
		if _, ok := c[k]; !ok {
			t.Errorf("country lacks %q", k)
		}
	}
	if n := len(c["time_to_war"].(map[string]any)["survival"].([]any)); n != h+1 {
		t.Errorf("survival has %d points, want H+1 = %d", n, h+1)
	}
	for _, st := range []string{"latent", "escalating", "war"} {
		if n := len(c["occupancy"].(map[string]any)[st].([]any)); n != h+1 {
			t.Errorf("occupancy.%s has %d points, want %d", st, n, h+1)
		}
	}
	for _, q := range []string{"p05", "p25", "p50", "p75", "p95"} {
		if n := len(c["tension_quantiles"].(map[string]any)[q].([]any)); n != h+1 {
			t.Errorf("tension_quantiles.%s has %d points, want %d", q, n, h+1)
		}
	}
	for _, k := range []string{"mean", "p50", "p90"} {
		if _, ok := c["war_months"].(map[string]any)[k]; !ok {
			t.Errorf("war_months lacks %q", k)
		}
	}
	if ci := doc["any_war"].(map[string]any)["p_war_ci95"].([]any); len(ci) != 2 {
		t.Errorf("any_war.p_war_ci95 = %v", ci)
	}
}

// Output is byte-identical for any number of workers, in every format and
// in every file of --out.
func TestWorkersByteIdentical(t *testing.T) {
	dir := t.TempDir()
	var first map[string][]byte
	for _, w := range []string{"1", "2", "8"} {
		out := filepath.Join(dir, "w"+w)
		stdout, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "2000", "--workers", w, "--format", "json", "--out", out, "--no-plots")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, errs)
		}
		files := map[string][]byte{"stdout": []byte(stdout)}
		for _, name := range []string{"summary.json", "runs.csv", "months.csv", "aggregates.json"} {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = data
		}
		if first == nil {
			first = files
			continue
		}
		for name, data := range files {
			if !bytes.Equal(data, first[name]) {
				t.Errorf("workers %s: %s differs from workers 1", w, name)
			}
		}
	}
	if !bytes.Equal(first["stdout"], first["summary.json"]) {
		t.Error("--format json output differs from summary.json")
	}
	if n := bytes.Count(first["runs.csv"], []byte("\n")); n != 2000*2+2 {
		t.Errorf("runs.csv has %d lines, want one per run and country plus a comment and a header", n)
	}
	_, _, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "2000", "--seed", "8", "--format", "json")
	if code != 0 {
		t.Fatal("seed 8 failed")
	}
	other, _, _ := escalate(t, "run", "testdata/minimal.toml", "--runs", "2000", "--seed", "8", "--format", "json")
	if bytes.Equal([]byte(other), first["stdout"]) {
		t.Error("seed 8 gives the same output as the scenario's seed")
	}
}

// Bad input gives a message naming the file, line and key, a non-zero exit
// and no output directory.
func TestBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	for i, test := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"run", "testdata/bad-type.toml"}, `testdata/bad-type.toml:6: country.a.volatility: must be a number, got string "high"`, 1},
		{[]string{"run", "testdata/minimal.toml", "--set", "intervention.ghost.staff=3"}, `no intervention "ghost"`, 1},
		{[]string{"run", "testdata/minimal.toml", "--set", "country.alpha.volatility=-1"}, "country.alpha.volatility: must be between 0 and 1, got -1 (set by --set country.alpha.volatility=-1)", 1},
		{[]string{"run", "testdata/minimal.toml", "--horizon", "5000"}, "horizon_months: must be between 1 and 1200", 1},
		{[]string{"run", "testdata/minimal.toml", "--strategy", "ghost"}, `no strategy "ghost" (strategies: none, big, envoy_off)`, 1},
		{[]string{"run", "testdata/minimal.toml", "--format", "xml"}, "--format must be table, json or csv", 2},
		{[]string{"run", "testdata/minimal.toml", "--runz", "5"}, "flag provided but not defined: -runz", 2},
		{[]string{"run"}, "want one scenario", 2},
		{[]string{"run", "nowhere.toml"}, "nowhere.toml", 1},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`, 2},
	} {
		out := filepath.Join(dir, "out")
		args := append(test.args, "--out", out)
		if test.args[0] != "run" || len(test.args) == 1 {
			args = test.args
		}
		_, errs, code := escalate(t, args...)
		if code != test.code {
			t.Errorf("%d: exit %d, want %d (%s)", i, code, test.code, errs)
		}
		if !strings.Contains(errs, test.want) {
			t.Errorf("%d: stderr %q lacks %q", i, errs, test.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%d: output directory written despite bad input", i)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%d: left %v behind", i, entries)
		}
	}
}

// --out never mixes with an existing directory's files, and --force
// replaces only a directory escalate wrote: never a folder of the user's.
func TestOutRefusesNonEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "100", "--out", dir)
	if code == 0 || !strings.Contains(errs, "directory exists and is not empty") {
		t.Errorf("exit %d: %s", code, errs)
	}
	_, errs, code = escalate(t, "run", "testdata/minimal.toml", "--runs", "100", "--out", dir, "--force")
	if code == 0 || !strings.Contains(errs, "directory has no .escalate-output marker, so escalate did not write it") {
		t.Errorf("--force on a user's directory: exit %d: %s", code, errs)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "keep.txt")); err != nil || string(data) != "x" {
		t.Errorf("--force touched the user's file: %q, %v", data, err)
	}

	out := filepath.Join(t.TempDir(), "results")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "100", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	first, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	_, errs, code = escalate(t, "run", "testdata/minimal.toml", "--runs", "200", "--out", out, "--force", "--no-plots")
	if code != 0 {
		t.Fatalf("--force on escalate's own output: exit %d: %s", code, errs)
	}
	second, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil || bytes.Equal(first, second) {
		t.Errorf("--force did not replace the summary (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "plots")); err == nil {
		t.Error("--force kept the old directory's charts")
	}

	// A file the user added to escalate's output since: refused, named,
	// and kept.
	notes := filepath.Join(out, "notes.md")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = escalate(t, "run", "testdata/minimal.toml", "--runs", "100", "--out", out, "--force")
	if code == 0 || !strings.Contains(errs, "it now also holds notes.md, which --force would delete") {
		t.Errorf("--force over an added file: exit %d: %s", code, errs)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "mine" {
		t.Errorf("--force touched the added file: %q, %v", data, err)
	}
}

func TestValidate(t *testing.T) {
	out, _, code := escalate(t, "validate", "testdata/minimal.toml", "workshop-intro")
	if code != 0 || strings.Count(out, ": ok:") != 2 {
		t.Errorf("exit %d:\n%s", code, out)
	}
	_, errs, code := escalate(t, "validate", "testdata/minimal.toml", "testdata/bad-type.toml")
	if code != 1 || !strings.Contains(errs, "bad-type.toml:6: country.a.volatility") || !strings.Contains(errs, "1 of 2 files have problems") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestListShowHelp(t *testing.T) {
	out, _, code := escalate(t, "list")
	if code != 0 || !strings.HasPrefix(out, "") || !strings.Contains(out, "workshop-intro") {
		t.Errorf("list: exit %d:\n%s", code, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(line); len(f) < 2 {
			t.Errorf("list line %q lacks a title", line)
		}
	}
	out, _, code = escalate(t, "show", "workshop-intro")
	if code != 0 || !strings.Contains(out, "[country.arcadia]") {
		t.Errorf("show: exit %d", code)
	}
	if _, errs, code := escalate(t, "show", "atlantis"); code != 1 || !strings.Contains(errs, `no shipped scenario "atlantis"`) {
		t.Errorf("show atlantis: exit %d: %s", code, errs)
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "run"}, {"run", "-h"}, {"validate", "-h"}, {"list", "-h"}, {"show", "-h"}, {"help", "format"}} {
		out, errs, code := escalate(t, args...)
		if code != 0 || out == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	out, _, _ = escalate(t, "help", "format")
	if !strings.Contains(out, "`structural_pressure`") {
		t.Error("format reference lacks structural_pressure")
	}
}

// Explicit counts of zero or less, a second --vary for compare and help's
// own -h are reported (or answered), not silently turned into defaults.
func TestFlagMistakes(t *testing.T) {
	for i, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "workshop-intro", "--runs", "0"}, 2, "run: --runs must be positive, got 0"},
		{[]string{"run", "workshop-intro", "--out", ""}, 2, "run: --out wants a directory, got an empty name"},
		{[]string{"compare", "workshop-intro", "--plots", " "}, 2, "compare: --plots wants a directory, got an empty name"},
		{[]string{"run", "workshop-intro", "--set", "intervention.mediators.staff=1e400"}, 2, "1e400 is out of the range of numbers"},
		{[]string{"run", "workshop-intro", "--set", "seed=99999999999999999999"}, 2, "99999999999999999999 is out of the range of integers"},
		{[]string{"show", "guinea-2009.toml"}, 1, "the shipped scenario is named guinea-2009, without .toml"},
		{[]string{"run", "testdata/heavy-shocks.toml", "--runs", "100000000000", "--workers", "2"}, 2, "country-months, more than a year with 2 workers"},
		{[]string{"run", "workshop-intro", "--strategy", "none", "--set", "intervention.mediators.staff=50"}, 2, "strategy none switches intervention mediators off, so the value would change nothing"},
		{[]string{"compare", "testdata/minimal.toml", "--strategies", "none,envoy_off", "--set", "intervention.envoy.staff=9"}, 2, "every strategy compared (none, envoy_off) switches intervention envoy off"},
		{[]string{"run", "workshop-intro", "--runs", "-5"}, 2, "run: --runs must be positive, got -5"},
		{[]string{"run", "workshop-intro", "--horizon", "0"}, 2, "--horizon must be positive"},
		{[]string{"compare", "workshop-intro", "--workers", "-3"}, 2, "compare: --workers must be positive"},
		{[]string{"sweep", "workshop-intro", "--vary", "model.hysteresis=0,0.1", "--runs", "0"}, 2, "sweep: --runs must be positive"},
		{[]string{"run", "workshop-intro", "--ci-width", "0.1", "--max-runs", "0"}, 2, "--max-runs must be positive"},
		{[]string{"compare", "guinea-2009", "--vary", "intervention.unowa.staff=3,30", "--vary", "intervention.unowa.startup_delay_months=1,2"}, 2,
			"compare varies one key; to vary two, use escalate sweep"},
		{[]string{"help", "nope"}, 2, "commands: run, compare, sweep, explore, plot, calibrate, merge, replay, serve, validate, list, show, schema, help; or format"},
		{[]string{"help", "-h"}, 0, ""},
		{[]string{"run", "workshop-intro", "--seed", "18446744073709551615"}, 2, "--seed must be between 0 and 2^63-1"},
		{[]string{"run", "workshop-intro", "--max-runs", "5000"}, 2, "--max-runs caps --ci-width"},
		{[]string{"compre", "workshop-intro"}, 2, `unknown command "compre" (did you mean compare?)`},
		{[]string{"compare", "workshop-intro", "--vary", "horizon_months=12,24"}, 2, "every point must have the same horizon"},
		{[]string{"sweep", "workshop-intro", "--vary", "horizon_months=12,24"}, 2, "every point must have the same horizon"},
	} {
		stdout, errs, code := escalate(t, test.args...)
		if code != test.code || !strings.Contains(errs, test.want) {
			t.Errorf("%d: %v: exit %d, stderr %q; want exit %d and %q", i, test.args, code, errs, test.code, test.want)
		}
		if test.code == 0 && !strings.Contains(stdout, "escalate run") {
			t.Errorf("%d: %v: no usage on stdout: %q", i, test.args, stdout)
		}
	}
}

// --out through a symbolic link writes where the link points and keeps the
// link; --plots through a link into --out is an overlap.
func TestOutThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--no-plots", "--out", link); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(target, "summary.json")); err != nil {
		t.Errorf("nothing written where the link points: %v", err)
	}
	_, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", filepath.Join(target, "sub"), "--plots", link)
	if code != 2 || !strings.Contains(errs, "overlap") {
		t.Errorf("--plots through a link to --out's parent: exit %d: %s", code, errs)
	}
}

// A mission that a shortened horizon leaves out says so in the table.
func TestLaunchAfterHorizon(t *testing.T) {
	out, errs, code := escalate(t, "run", "guinea-2009", "--horizon", "3", "--runs", "100")
	if code != 0 || !strings.Contains(out, "month 4, after the horizon") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
	if _, errs, code := escalate(t, "run", "workshop-intro", "--runs", "100", "--ci-width", "1"); code != 0 {
		t.Errorf("--ci-width 1: exit %d: %s", code, errs)
	}
}

// fullDisk fails every write after the first n bytes, as a full disk does.
type fullDisk struct{ n int }

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, syscall.ENOSPC
	}
	f.n -= len(p)
	return len(p), nil
}

// Output that cannot be written is an error, in every format and command,
// not a silent success.
func TestWriteErrorsReported(t *testing.T) {
	for i, args := range [][]string{
		{"run", "workshop-intro", "--runs", "200"},
		{"run", "workshop-intro", "--runs", "200", "--format", "json"},
		{"run", "workshop-intro", "--runs", "200", "--format", "csv"},
		{"compare", "workshop-intro", "--runs", "200"},
		{"sweep", "workshop-intro", "--runs", "200", "--vary", "intervention.mediators.staff=2,4"},
		{"list"},
		{"show", "workshop-intro"},
		{"help", "run"},
	} {
		var errb bytes.Buffer
		err := run(context.Background(), args, &fullDisk{n: 100}, &errb)
		if err == nil || !strings.Contains(err.Error(), "no space left") || exitCode(err) != 1 {
			t.Errorf("%d: %v: error %v, exit %d", i, args, err, exitCode(err))
		}
	}
}
