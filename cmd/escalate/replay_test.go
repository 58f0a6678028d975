package main

import (
	"os"
	"path/filepath"
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
		if _, errs, code := escalate(t, "replay", p); code != 1 || !strings.Contains(errs, "not a summary.json") {
			t.Errorf("%q: exit %d: %s", bad, code, errs)
		}
	}
}
