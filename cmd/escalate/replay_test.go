package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestReplay(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "mini.toml")
	data, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scen, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, errs, code := escalate(t, "run", scen, "--runs", "700", "--strategy", "big", "--set", "country.beta.volatility=0.05", "--horizon", "20", "--out", out, "--no-plots"); code != 0 {
		t.Fatalf("run: %s", errs)
	}
	summary := filepath.Join(out, "summary.json")
	stdout, errs, code := escalate(t, "replay", summary)
	if code != 0 || !strings.Contains(stdout, "byte-identical") {
		t.Fatalf("replay: exit %d: %s %s", code, stdout, errs)
	}

	// A changed number in the summary is found and named.
	orig, _ := os.ReadFile(summary)
	tampered := strings.Replace(string(orig), `"runs": 700`, `"runs": 701`, 1)
	if err := os.WriteFile(summary, []byte(tampered), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = escalate(t, "replay", summary)
	if code != 1 || !strings.Contains(stdout, "DIFFERS") || !strings.Contains(stdout, "runs: was 701, now 700") {
		t.Errorf("tampered summary: exit %d:\n%s", code, stdout)
	}
	os.WriteFile(summary, orig, 0o644)

	// A changed scenario is refused before running.
	if err := os.WriteFile(scen, []byte(strings.Replace(string(data), "initial_tension = 0.3", "initial_tension = 0.35", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = escalate(t, "replay", summary)
	if code != 1 || !strings.Contains(errs, "has changed since the summary was written") {
		t.Errorf("changed scenario: exit %d: %s", code, errs)
	}

	for _, bad := range []string{"{}", "not json", `{"provenance": {"source": "x"}}`} {
		p := filepath.Join(dir, "bad.json")
		os.WriteFile(p, []byte(bad), 0o644)
		if _, errs, code := escalate(t, "replay", p); code != 1 || !strings.Contains(errs, "not a summary.json") && !strings.Contains(errs, "not a JSON result of escalate") {
			t.Errorf("%q: exit %d: %s", bad, code, errs)
		}
	}
}

// Comparisons and sweeps replay too, from the job their provenance
// records, and a scenario that has moved is found with --scenario.
func TestReplayComparisonAndSweep(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	// A name with a space and a quote, which the recorded command must
	// quote and replay must read back.
	scen := filepath.Join(dir, "my 'mini'.toml")
	if err := os.WriteFile(scen, data, 0o644); err != nil {
		t.Fatal(err)
	}
	jobs := []struct {
		args []string
		file string
	}{
		{[]string{"compare", scen, "--runs", "400", "--set", "country.beta.volatility=0.05"}, "comparison.json"},
		{[]string{"compare", scen, "--vary", "intervention.envoy.staff=2,9", "--strategy", "big", "--runs", "300"}, "comparison.json"},
		{[]string{"compare", scen, "testdata/minimal.toml", "--runs", "200"}, "comparison.json"},
		{[]string{"sweep", scen, "--vary", "intervention.envoy.staff=1,4", "--vary", "model.war_threshold=0.7,0.8", "--runs", "200", "--country", "alpha"}, "sweep.json"},
	}
	var files []string
	for i, job := range jobs {
		out := filepath.Join(dir, "out"+strconv.Itoa(i))
		if _, errs, code := escalate(t, append(job.args, "--out", out, "--no-plots")...); code != 0 {
			t.Fatalf("%d: %s", i, errs)
		}
		f := filepath.Join(out, job.file)
		files = append(files, f)
		if stdout, errs, code := escalate(t, "replay", f); code != 0 || !strings.Contains(stdout, "byte-identical") {
			t.Errorf("%d: replay: exit %d: %s %s", i, code, stdout, errs)
		}
	}

	// A number changed in the file is found and named.
	orig, _ := os.ReadFile(files[3])
	if err := os.WriteFile(files[3], []byte(strings.Replace(string(orig), `"runs": 200`, `"runs": 201`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if stdout, _, code := escalate(t, "replay", files[3]); code != 1 || !strings.Contains(stdout, "runs: was 201, now 200") {
		t.Errorf("tampered sweep: exit %d:\n%s", code, stdout)
	}

	// The scenario moved: replay says how to point to it, and then
	// confirms the result byte for byte (recorded where it was).
	if err := os.Mkdir(filepath.Join(dir, "elsewhere"), 0o755); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(dir, "elsewhere", filepath.Base(scen))
	if err := os.Rename(scen, moved); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := escalate(t, "replay", files[0]); code != 1 || !strings.Contains(errs, "give its place with --scenario FILE") {
		t.Errorf("moved scenario: exit %d: %s", code, errs)
	}
	if stdout, errs, code := escalate(t, "replay", "--scenario", moved, files[0]); code != 0 || !strings.Contains(stdout, "byte-identical") {
		t.Errorf("--scenario: exit %d: %s %s", code, stdout, errs)
	}
	if _, errs, code := escalate(t, "replay", "--scenario", moved, files[2]); code != 2 || !strings.Contains(errs, "this comparison is of 2") {
		t.Errorf("--scenario for two files: exit %d: %s", code, errs)
	}
	// A scenario is named by its file: a renamed file is not the same.
	renamed := filepath.Join(dir, "renamed.toml")
	if err := os.Rename(moved, renamed); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := escalate(t, "replay", "--scenario", renamed, files[0]); code != 2 || !strings.Contains(errs, "a scenario is named after its file") {
		t.Errorf("renamed scenario: exit %d: %s", code, errs)
	}
	if err := os.Rename(renamed, moved); err != nil {
		t.Fatal(err)
	}
	// An edited scenario is refused with both hashes.
	if err := os.WriteFile(moved, []byte(strings.Replace(string(data), "initial_tension = 0.3", "initial_tension = 0.35", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := escalate(t, "replay", "--scenario", moved, files[0]); code != 1 || !strings.Contains(errs, "has changed since the comparison was written") {
		t.Errorf("edited scenario: exit %d: %s", code, errs)
	}
}

// A result edited by hand cannot make replay do more than re-run the job
// escalate recorded: the command line is only for people (an edited one,
// even with --out or "; touch X", is not run but reported as a
// difference), and a recorded job that contradicts the file's provenance
// or kind is refused.
func TestReplayRefusesEditedFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cmp")
	if _, errs, code := escalate(t, "compare", "testdata/minimal.toml", "--runs", "300", "--out", out, "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	orig, err := os.ReadFile(filepath.Join(out, "comparison.json"))
	if err != nil {
		t.Fatal(err)
	}
	const cmd = `"command": "escalate compare testdata/minimal.toml --runs 300 --seed 7`
	if !strings.Contains(string(orig), cmd) {
		t.Fatalf("recorded command not as expected:\n%s", orig)
	}
	injected := filepath.Join(dir, "injected")
	for i, test := range []struct {
		from, to   string
		code       int
		want, errs string
	}{
		{cmd, cmd + ` --out ` + injected, 1, "provenance.command: was escalate compare", ""},
		{cmd, cmd + ` --yes`, 1, "DIFFERS", ""},
		{`"runs": 300,
      "seed": 7`, `"runs": 100000000000,
      "seed": 7`, 1, "", "records a job of 100000000000 runs and seed 7, but 300 runs and seed 7"},
		{`"kind": "compare"`, `"kind": "run"`, 1, "", "is not a whole compare job"},
	} {
		f := filepath.Join(dir, "edited.json")
		edited := strings.Replace(string(orig), test.from, test.to, 1)
		if edited == string(orig) {
			t.Fatalf("%d: %q not in the file", i, test.from)
		}
		if err := os.WriteFile(f, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, errs, code := escalate(t, "replay", f)
		if code != test.code || !strings.Contains(stdout, test.want) || !strings.Contains(errs, test.errs) {
			t.Errorf("%d: exit %d: %s %s", i, code, stdout, errs)
		}
	}
	if _, err := os.Stat(injected); err == nil {
		t.Error("an edited command wrote a directory")
	}

	// Issue 12 item 4: a summary whose recorded command was edited is
	// not byte-identical, because replay rebuilds the command from the
	// job instead of copying it.
	run := filepath.Join(dir, "run")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "300", "--out", run, "--no-plots", "--no-runs-csv"); code != 0 {
		t.Fatal(errs)
	}
	summary := filepath.Join(run, "summary.json")
	sdata, _ := os.ReadFile(summary)
	const runCmd = `"command": "escalate run testdata/minimal.toml --runs 300 --seed 7`
	// An edited source is a difference too, not masked as a moved file.
	edited := strings.Replace(string(sdata), `"source": "testdata/minimal.toml"`, `"source": "elsewhere.toml"`, 1)
	if edited == string(sdata) {
		t.Fatalf("source not in:\n%s", sdata)
	}
	f := filepath.Join(dir, "edited-source.json")
	os.WriteFile(f, []byte(edited), 0o644)
	if stdout, _, code := escalate(t, "replay", f); code != 1 || !strings.Contains(stdout, "provenance.source: was elsewhere.toml, now testdata/minimal.toml") {
		t.Errorf("source edited: exit %d: %s", code, stdout)
	}
	for _, extra := range []string{" --strategy none", "; touch X"} {
		f := filepath.Join(dir, "edited-summary.json")
		edited := strings.Replace(string(sdata), runCmd, runCmd+extra, 1)
		if edited == string(sdata) {
			t.Fatalf("%q not in:\n%s", runCmd, sdata)
		}
		os.WriteFile(f, []byte(edited), 0o644)
		if stdout, _, code := escalate(t, "replay", f); code != 1 || !strings.Contains(stdout, "DIFFERS") || !strings.Contains(stdout, "provenance.command") {
			t.Errorf("command edited with %q: exit %d: %s", extra, code, stdout)
		}
	}

	// A summary written before results recorded their job is refused,
	// naming the version that can replay it.
	var doc map[string]any
	if err := json.Unmarshal(sdata, &doc); err != nil {
		t.Fatal(err)
	}
	prov := doc["provenance"].(map[string]any)
	delete(prov, "job")
	prov["tool"] = "escalate 0.1.0"
	old, _ := json.MarshalIndent(doc, "", "  ")
	f = filepath.Join(dir, "old.json")
	os.WriteFile(f, old, 0o644)
	if _, errs, code := escalate(t, "replay", f); code != 1 || !strings.Contains(errs, "written by escalate 0.1.0, which did not record its job") || !strings.Contains(errs, "replay it with that version") {
		t.Errorf("old summary: exit %d: %s", code, errs)
	}

	// A shard summary edited to a shard that is not the job's.
	sh := filepath.Join(dir, "shard")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "300", "--shard", "1/3", "--out", sh, "--no-runs-csv"); code != 0 {
		t.Fatal(errs)
	}
	summary = filepath.Join(sh, "summary.json")
	data, _ := os.ReadFile(summary)
	for _, bad := range []string{`"index": 1,
    "count": 0`, `"index": 5,
    "count": 3`, `"index": -1,
    "count": 3`} {
		edited := strings.Replace(string(data), `"index": 1,
    "count": 3`, bad, 1)
		if edited == string(data) {
			t.Fatalf("shard not found in:\n%s", data)
		}
		f := filepath.Join(dir, "shard.json")
		os.WriteFile(f, []byte(edited), 0o644)
		if _, errs, code := escalate(t, "replay", f); code != 1 || !strings.Contains(errs, "is not one of the job's shards") {
			t.Errorf("%q: exit %d: %s", bad, code, errs)
		}
	}
}
