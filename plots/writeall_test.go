package plots

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func names(paths []string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, filepath.Base(p))
	}
	return out
}

func TestWriteAll(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *sim.Summary
		want []string
	}{
		{"tension", known(24), []string{"dashboard.svg", "outcomes.svg", "survival.svg",
			"tension-arcadia.svg", "occupancy-arcadia.svg", "war-months-arcadia.svg"}},
		{"markov", peaceful(1), []string{"dashboard.svg", "outcomes.svg", "survival.svg",
			"occupancy-p.svg", "war-months-p.svg"}},
		{"awkward ids", func() *sim.Summary {
			s := several(3, 12)
			s.Countries[0].ID, s.Countries[1].ID, s.Countries[2].ID = "a/b", "A_B", ""
			return s
		}(), []string{"dashboard.svg", "outcomes.svg", "survival.svg",
			"tension-a_b.svg", "occupancy-a_b.svg", "war-months-a_b.svg",
			"tension-A_B-2.svg", "occupancy-A_B-2.svg", "war-months-A_B-2.svg",
			"tension-country3.svg", "occupancy-country3.svg", "war-months-country3.svg"}},
	} {
		dir := filepath.Join(t.TempDir(), "charts")
		paths, err := WriteAll(dir, tc.s, Options{Format: "svg", Caption: "test"})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := names(paths); !slices.Equal(got, tc.want) {
			t.Errorf("%s: wrote %q, want %q", tc.name, got, tc.want)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != len(tc.want) {
			t.Errorf("%s: %d files in the directory, want %d", tc.name, len(entries), len(tc.want))
		}
		for _, p := range paths {
			if fi, err := os.Stat(p); err != nil || fi.Size() < 1000 {
				t.Errorf("%s: %s: %v", tc.name, p, err)
			}
		}
	}
}

func TestWriteAllPNGSizes(t *testing.T) {
	dir := t.TempDir()
	// A low resolution keeps the test fast; the dashboard is twice as
	// wide as a chart.
	paths, err := WriteAll(dir, peaceful(3), Options{DPI: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := pngConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		want := 160
		if filepath.Base(p) == "dashboard.png" {
			want = 320
		}
		if cfg.Width != want {
			t.Errorf("%s is %d px wide, want %d", filepath.Base(p), cfg.Width, want)
		}
	}
}

func TestWriteAllErrors(t *testing.T) {
	dir := t.TempDir()
	zero := known(12)
	zero.Runs = 0
	if _, err := WriteAll(dir, zero, Options{}); !errors.Is(err, ErrNoRuns) {
		t.Errorf("zero runs: %v, want ErrNoRuns", err)
	}
	if _, err := WriteAll(dir, known(12), Options{Format: "gif"}); err == nil {
		t.Error("gif: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written by failed calls", len(entries))
	}
	// A file where the directory should be.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteAll(file, known(12), Options{}); err == nil {
		t.Error("directory is a file: no error")
	}
}
