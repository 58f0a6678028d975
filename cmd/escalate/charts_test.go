package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// The deterministic scenario's path is known: x_m = 0.9 - 0.6 * 0.9^m.
// Its charts exist, and the data they draw switch exactly where the closed
// form says: survival drops from 1 to 0 in the first month at war, and
// occupancy moves from one stage to the next at the threshold months.
func TestChartsOfDeterministicScenario(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	stdout, errs, code := escalate(t, "run", "testdata/deterministic.toml", "--out", out, "--plot-format", "svg", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sum resultfile.Summary
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	escalating, war := -1, -1
	prevStage := "latent"
	for m := 0; m <= 24; m++ {
		x := 0.9 - 0.6*math.Pow(0.9, float64(m))
		stage := "latent"
		switch {
		case x >= 0.75:
			stage = "war"
		case x >= 0.4:
			stage = "escalating"
		}
		if stage == "escalating" && prevStage == "latent" {
			escalating = m
		}
		if stage == "war" && war < 0 {
			war = m
		}
		prevStage = stage
	}
	c := sum.Countries[0]
	for m, s := range c.TimeToWar.Survival {
		want := 1.0
		if m >= war {
			want = 0
		}
		if s != want {
			t.Errorf("survival at month %d = %g, want %g (war from month %d)", m, s, want, war)
		}
	}
	for m := range c.Occupancy.Latent {
		l, e, w := c.Occupancy.Latent[m], c.Occupancy.Escalating[m], c.Occupancy.War[m]
		switch {
		case m < escalating && l != 1, m >= escalating && m < war && e != 1, m >= war && w != 1:
			t.Errorf("month %d: occupancy %g/%g/%g; escalating from %d, war from %d", m, l, e, w, escalating, war)
		}
	}
	if *c.TimeToWar.MedianMonths != war {
		t.Errorf("median time to war %d, want %d", *c.TimeToWar.MedianMonths, war)
	}
	for _, f := range []string{"dashboard", "outcomes", "survival", "tension-a", "occupancy-a", "war-months-a"} {
		data, err := os.ReadFile(filepath.Join(out, "plots", f+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("<svg")) {
			t.Errorf("%s.svg is not an SVG", f)
		}
	}
	svg, _ := os.ReadFile(filepath.Join(out, "plots", "survival.svg"))
	for _, want := range []string{"Month", "escalate " + job.Version, "200 runs", "seed 1"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("survival.svg lacks %q", want)
		}
	}
}

// Charts from a saved summary are byte-identical to those of the run that
// wrote it, and to themselves drawn again.
func TestPlotFromSummaryIsIdentical(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "300", "--out", run, "--plots", filepath.Join(dir, "direct"), "--plot-format", "svg"); code != 0 {
		t.Fatal(errs)
	}
	for _, again := range []string{"again1", "again2"} {
		if _, errs, code := escalate(t, "plot", filepath.Join(run, "summary.json"), "--out", filepath.Join(dir, again), "--plot-format", "svg"); code != 0 {
			t.Fatal(errs)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "direct"))
	if err != nil || len(entries) < 6 {
		t.Fatalf("direct charts: %v %v", entries, err)
	}
	for _, e := range entries {
		if e.Name() == atomicfs.MarkerFile {
			continue
		}
		a, _ := os.ReadFile(filepath.Join(dir, "direct", e.Name()))
		for _, again := range []string{"again1", "again2", "run/plots"} {
			b, err := os.ReadFile(filepath.Join(dir, again, e.Name()))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs from the run's chart (%v)", again, e.Name(), err)
			}
		}
	}
}

func TestPlotErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"hello": 1}`), 0o644)
	for i, test := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"plot", bad, "--out", filepath.Join(dir, "o")}, "not a summary.json, comparison.json or sweep.json", 1},
		{[]string{"plot", bad}, "--out DIR is required", 2},
		{[]string{"plot", filepath.Join(dir, "none.json"), "--out", filepath.Join(dir, "o")}, "no such file", 1},
		{[]string{"run", "testdata/minimal.toml", "--plots", filepath.Join(dir, "o"), "--plot-format", "gif"}, "--plot-format must be png, svg or pdf", 2},
		{[]string{"run", "testdata/minimal.toml", "--plots", filepath.Join(dir, "o"), "--dpi", "5"}, "--dpi must be between 50 and 1200", 2},
	} {
		_, errs, code := escalate(t, test.args...)
		if code != test.code || !strings.Contains(errs, test.want) {
			t.Errorf("%d: exit %d: %s (want %q)", i, code, errs, test.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "o")); err == nil {
			t.Errorf("%d: output written", i)
		}
	}
}

// compare and sweep draw their charts with --plots and in --out DIR/plots,
// and plot redraws them from the saved JSON byte for byte.
func TestCompareAndSweepCharts(t *testing.T) {
	dir := t.TempDir()
	for _, test := range []struct {
		args  []string
		name  string
		files []string
	}{
		{[]string{"compare", "workshop-intro", "--runs", "300"}, "comparison", []string{"compare-pwar.svg", "compare-survival.svg", "compare-cost.svg"}},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,4,8", "--runs", "200"}, "sweep", []string{"sweep.svg"}},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=2,4", "--vary", "model.war_threshold=0.7,0.8", "--runs", "200"}, "sweep", []string{"sweep.svg"}},
	} {
		out := filepath.Join(dir, "out")
		if _, errs, code := escalate(t, append(test.args, "--out", out, "--plot-format", "svg")...); code != 0 {
			t.Fatalf("%v: %s", test.args, errs)
		}
		again := filepath.Join(dir, "again")
		if _, errs, code := escalate(t, "plot", filepath.Join(out, test.name+".json"), "--out", again, "--plot-format", "svg"); code != 0 {
			t.Fatalf("plot %s: %s", test.name, errs)
		}
		for _, f := range test.files {
			a, err1 := os.ReadFile(filepath.Join(out, "plots", f))
			b, err2 := os.ReadFile(filepath.Join(again, f))
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) || !bytes.Contains(a, []byte("<svg")) {
				t.Errorf("%v: %s missing or redrawn differently (%v %v)", test.args, f, err1, err2)
			}
		}
		os.RemoveAll(out)
		os.RemoveAll(again)
	}
}

// A --plots directory that cannot be used stops the command before it
// runs, naming --plots, and --plots cannot be the --out directory.
func TestPlotsDirChecked(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, test := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"run", "workshop-intro", "--runs", "50", "--plots", full}, "--plots " + full + ": directory exists and is not empty", 1},
		{[]string{"compare", "workshop-intro", "--runs", "50", "--plots", full}, "--plots " + full + ": directory exists and is not empty", 1},
		{[]string{"sweep", "workshop-intro", "--vary", "intervention.mediators.staff=1,2", "--runs", "50", "--plots", full}, "--plots " + full + ": directory exists and is not empty", 1},
		{[]string{"run", "workshop-intro", "--runs", "50", "--plots", filepath.Join(dir, "same"), "--out", filepath.Join(dir, "same")}, "overlap: each is written whole", 2},
		{[]string{"run", "workshop-intro", "--runs", "50", "--plots", filepath.Join(dir, "p"), "--out", filepath.Join(dir, "p", "sub")}, "overlap: each is written whole", 2},
		{[]string{"run", "workshop-intro", "--runs", "50", "--plots", filepath.Join(dir, "o", "charts"), "--out", filepath.Join(dir, "o")}, "overlap: each is written whole", 2},
	} {
		stdout, errs, code := escalate(t, test.args...)
		if code != test.code || !strings.Contains(errs, test.want) || stdout != "" {
			t.Errorf("%d: exit %d, stdout %q, stderr %q; want exit %d and %q", i, code, stdout, errs, test.code, test.want)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d entries in %s after failed commands, want only the full directory", len(entries), dir)
	}
	if data, err := os.ReadFile(filepath.Join(full, "keep.txt")); err != nil || string(data) != "mine" {
		t.Errorf("the user's file was touched: %q, %v", data, err)
	}
}
