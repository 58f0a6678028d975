package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --event and --disable change the result, are recorded in the provenance,
// and replay reproduces the summary to the byte.
func TestAdditionFlagsReplay(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	plain, _, _ := escalate(t, "run", "guinea-2009", "--runs", "1000", "--format", "json")
	_, errs, code := escalate(t, "run", "guinea-2009", "--runs", "1000", "--event", "guinea:12:0.3:coup", "--disable", "unowa", "--out", out, "--no-plots")
	if code != 0 {
		t.Fatalf("run: %s", errs)
	}
	changed, _, _ := escalate(t, "run", "guinea-2009", "--runs", "1000", "--event", "guinea:12:0.3:coup", "--disable", "unowa", "--format", "json")
	if changed == plain {
		t.Fatal("--event and --disable changed nothing")
	}
	for _, want := range []string{`"events": [`, `"guinea:12:0.3:coup"`, `"disable": [`, `--event guinea:12:0.3:coup --disable unowa"`} {
		if !strings.Contains(changed, want) {
			t.Errorf("provenance lacks %s:\n%s", want, changed)
		}
	}
	stdout, errs, code := escalate(t, "replay", filepath.Join(out, "summary.json"))
	if code != 0 || !strings.Contains(stdout, "byte-identical") {
		t.Fatalf("replay: exit %d: %s %s", code, stdout, errs)
	}
}

func TestAdditionFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "guinea-2009", "--event", "guinea:12"}, 2, "want COUNTRY:MONTH:SIZE[:LABEL]"},
		{[]string{"run", "guinea-2009", "--event", "guinee:12:0.3"}, 1, `no country "guinee" in this scenario (did you mean "guinea"?)`},
		{[]string{"run", "guinea-2009", "--event", "guinea:40:0.3"}, 1, "between 1 and horizon_months (36), got 40"},
		{[]string{"run", "guinea-2009", "--disable", "unwoa", "--strategy", "none"}, 1, `no intervention "unwoa" in this scenario (did you mean "unowa"?)`},
		{[]string{"run", "guinea-2009", "--shock", "guinea:-1:0.1"}, 1, "the rate must be between 0 and 120"},
		{[]string{"compare", "guinea-2009", "--disable", "nobody"}, 1, `--disable nobody: no intervention "nobody"`},
	} {
		_, errs, code := escalate(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
