package resultfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// The fuzz targets start from real files of each kind in testdata
// (escalate run, compare and sweep of cmd/escalate/testdata/minimal.toml,
// 30 runs over 13 months), read from disk rather than simulated, so that a
// fuzzing worker starts at once; TestFuzzSeedsParse keeps them readable.

func seed(f interface {
	Fatal(...any)
}, name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return data
}

func TestFuzzSeedsParse(t *testing.T) {
	if _, err := ParseAggregates("aggregates.json", seed(t, "aggregates.json")); err != nil {
		t.Error(err)
	}
	if _, err := ParseSummary("summary.json", seed(t, "summary.json")); err != nil {
		t.Error(err)
	}
	if _, err := ParseComparison("comparison.json", seed(t, "comparison.json")); err != nil {
		t.Error(err)
	}
	if _, err := ParseSweep("sweep.json", seed(t, "sweep.json")); err != nil {
		t.Error(err)
	}
}

// FuzzAggregates feeds arbitrary bytes to merge's reader: a file it accepts
// must merge and summarise without a panic.
func FuzzAggregates(f *testing.F) {
	f.Add(seed(f, "aggregates.json"))
	f.Add([]byte(`{"format":"escalate-aggregates/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		af, err := ParseAggregates("fuzz.json", data)
		if err != nil {
			return
		}
		res := sim.NewResult(af.Scenario)
		if err := res.Merge(af.Result); err != nil {
			t.Fatalf("accepted aggregates do not merge: %v", err)
		}
		_ = sim.Summarize(af.Scenario, res, af.Seed)
	})
}

// FuzzSummary feeds arbitrary bytes to the summary reader of replay and
// plot: what it accepts passes its own check.
func FuzzSummary(f *testing.F) {
	f.Add(seed(f, "summary.json"))
	f.Add([]byte(`{"scenario":"x","provenance":{"source":"x","scenario_sha256":"y"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := ParseSummary("fuzz.json", data)
		if err != nil {
			return
		}
		if err := CheckSummary(sf.Summary); err != nil {
			t.Fatalf("accepted summary fails its own check: %v", err)
		}
	})
}
