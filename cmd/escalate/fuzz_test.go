package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
)

// FuzzComparisonAndSweep feeds arbitrary bytes to plot's readers of
// comparison.json and sweep.json; a file they accept must chart without a
// panic.
func FuzzComparisonAndSweep(f *testing.F) {
	// Real files of each kind, as job/resultfile's fuzz targets use them.
	for _, name := range []string{"comparison.json", "sweep.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "job", "resultfile", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	cf := chartFlags{format: "svg", dpi: 72}
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := resultfile.ParseComparison("fuzz.json", data); err == nil {
			_ = cf.writeInto(t.TempDir(), c)
		}
		if s, err := resultfile.ParseSweep("fuzz.json", data); err == nil {
			_ = cf.writeInto(t.TempDir(), s)
		}
	})
}
