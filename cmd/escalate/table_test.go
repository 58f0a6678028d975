package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

func TestSigned(t *testing.T) {
	for _, test := range []struct {
		x    float64
		d    int
		want string
	}{
		{-2.04, 1, "-2.0"}, {2.04, 1, "+2.0"}, {-0.04, 1, "+0.0"}, {0, 2, "+0.00"}, {-0.004, 2, "+0.00"}, {-0.006, 2, "-0.01"},
	} {
		if got := signed(test.x, test.d); got != test.want {
			t.Errorf("signed(%v, %d) = %q, want %q", test.x, test.d, got, test.want)
		}
	}
}
