package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// aggregatesCorpus writes a small real aggregates.json and summary.json
// for the seed corpus.
func aggregatesCorpus(f *testing.F) (agg, summary []byte) {
	dir := f.TempDir()
	out := filepath.Join(dir, "out")
	if _, errs, code := escalate(f, "run", "testdata/minimal.toml", "--runs", "50", "--horizon", "13", "--out", out, "--no-plots"); code != 0 {
		f.Fatal(errs)
	}
	agg, err := os.ReadFile(filepath.Join(out, "aggregates.json"))
	if err != nil {
		f.Fatal(err)
	}
	summary, err = os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		f.Fatal(err)
	}
	return agg, summary
}

// FuzzAggregates feeds arbitrary bytes to merge's reader: a file it accepts
// must merge and summarise without a panic.
func FuzzAggregates(f *testing.F) {
	agg, _ := aggregatesCorpus(f)
	f.Add(agg)
	f.Add([]byte(`{"format":"escalate-aggregates/1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		af, err := resultfile.ParseAggregates("fuzz.json", data)
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
// plot.
func FuzzSummary(f *testing.F) {
	_, summary := aggregatesCorpus(f)
	f.Add(summary)
	f.Add([]byte(`{"scenario":"x","provenance":{"source":"x","scenario_sha256":"y"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := resultfile.ParseSummary("fuzz.json", data)
		if err != nil {
			return
		}
		if err := resultfile.CheckSummary(sf.Summary); err != nil {
			t.Fatalf("accepted summary fails its own check: %v", err)
		}
	})
}

// FuzzComparisonAndSweep feeds arbitrary bytes to plot's readers of
// comparison.json and sweep.json; a file they accept must chart without a
// panic.
func FuzzComparisonAndSweep(f *testing.F) {
	dir := f.TempDir()
	for _, args := range [][]string{
		{"compare", "testdata/minimal.toml", "--runs", "30", "--horizon", "13"},
		{"sweep", "testdata/minimal.toml", "--vary", "intervention.envoy.staff=1,2", "--runs", "30", "--horizon", "13"},
	} {
		out := filepath.Join(dir, args[0])
		if _, errs, code := escalate(f, append(args, "--out", out, "--no-plots")...); code != 0 {
			f.Fatal(errs)
		}
		name := map[string]string{"compare": "comparison", "sweep": "sweep"}[args[0]]
		data, err := os.ReadFile(filepath.Join(out, name+".json"))
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
