package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

func TestInterval(t *testing.T) {
	for i, test := range []struct {
		ci   [2]float64
		want string
	}{
		{[2]float64{0.187, 0.203}, "18.7–20.3%"},
		{[2]float64{0, 0.00038}, "0.0–<0.1%"},
		{[2]float64{0.99962, 1}, ">99.9–100.0%"},
		{[2]float64{0, 1}, "0.0–100.0%"},
		{[2]float64{0.0001, 0.0004}, "<0.1–<0.1%"},
		{[2]float64{0.0004, 0.0009}, "<0.1–0.1%"},
	} {
		if got := interval(test.ci); got != test.want {
			t.Errorf("%d: interval(%v) = %q, want %q", i, test.ci, got, test.want)
		}
	}
}

// Two versions of one scenario (same title) are told apart by their files
// in the table.
func TestCompareSameTitle(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.toml"), filepath.Join(dir, "b.toml")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errs, code := escalate(t, "compare", a, b, "--runs", "200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "\n"+a+" ") || !strings.Contains(out, "\n"+b+" ") {
		t.Errorf("rows are not named by file:\n%s", out)
	}
}

// CSV numbers read back exactly and never use an exponent.
func TestCSVFloat(t *testing.T) {
	for _, x := range []float64{0, 1, 0.1, 4959609.6, 18966609.6, 1e15 + 0.5, 0.000123, 0.17922817876013142} {
		s := resultfile.FormatFloat(x)
		if strings.ContainsAny(s, "eE") {
			t.Errorf("ff(%v) = %q has an exponent", x, s)
		}
		if y, err := strconv.ParseFloat(s, 64); err != nil || y != x {
			t.Errorf("ff(%v) = %q reads back as %v, %v", x, s, y, err)
		}
	}
}

// The mission table shows a strategy's timed decisions: the staff
// schedule and the month a mission ends.
func TestMissionSchedule(t *testing.T) {
	for i, test := range []struct {
		iv           sim.InterventionSummary
		staff, start string
	}{
		{sim.InterventionSummary{Staff: 3, StartMonth: 0}, "3", "month 0"},
		{sim.InterventionSummary{Staff: 4.5, StartMonth: 2, StartupDelay: 1, StaffFrom: []sim.StaffChange{{Month: 13, Staff: 6}, {Month: 25, Staff: 0}}},
			"4.5 → 6 (m13) → 0 (m25)", "month 2 + 1 mo start-up"},
		{sim.InterventionSummary{Staff: 20, Trigger: "escalating", EndMonth: 20}, "20", "on escalating, ends month 20"},
	} {
		if got := staffSchedule(test.iv); got != test.staff {
			t.Errorf("%d: staff %q, want %q", i, got, test.staff)
		}
		if got := launch(test.iv, 36); got != test.start {
			t.Errorf("%d: launch %q, want %q", i, got, test.start)
		}
	}
}
