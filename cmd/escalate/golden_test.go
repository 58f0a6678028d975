package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with
// -update. A deliberate change to the model or the random streams changes
// these files: regenerate them with
//
//	go test ./cmd/escalate -run Golden -update
//
// and say why in the commit.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; first differences:\n  %s\nIf the change is deliberate, run go test ./cmd/escalate -run Golden -update",
			name, strings.Join(resultfile.Diff(want, []byte(got)), "\n  "))
	}
}

// Every shipped scenario's summary at a small run count is fixed, so an
// accidental change in the model or the random streams is caught.
func TestGoldenSummaries(t *testing.T) {
	infos, err := scenarios.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		out, errs, code := escalate(t, "run", info.Name, "--runs", "400", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", info.Name, code, errs)
		}
		golden(t, info.Name+".json", out)
	}
	out, errs, code := escalate(t, "compare", "guinea-2009", "--runs", "400", "--format", "json")
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	golden(t, "compare-guinea-2009.json", out)
}
