package plots

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/explore/study"
	"github.com/escalate-sim/escalate/scenarios"
)

// exploreReport runs a small study of guinea-2009.
func exploreReport(t *testing.T, design string) *study.Report {
	t.Helper()
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	var us []scenarios.Uncertain
	for _, s := range []string{"country.guinea.volatility=uniform=[0.03, 0.09]", "intervention.unowa.startup_delay_months=integer=[0, 6]", "intervention.ohchr.consent=uniform=[0.5, 1]"} {
		u, err := scenarios.ParseUncertain(s)
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	st, err := study.New(study.Config{File: f, Uncertain: us, Design: design, Samples: 16, Runs: 100, Seed: 1, Find: "historical.p_war > 0.2", Resamples: 50})
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.Run(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWriteExplore(t *testing.T) {
	for _, c := range []struct {
		design string
		want   []string
	}{
		{"sobol", []string{"sobol-p_war-historical.png", "sobol-p_war-historical-vs-none.png", "futures.png", "regret.png", "prim-tradeoff.png", "prim-box.png"}},
		{"morris", []string{"morris-p_war-none.png", "morris-p_war-staff-vs-none.png", "futures.png"}},
	} {
		r := exploreReport(t, c.design)
		dir := t.TempDir()
		files, err := WriteExplore(dir, r, Options{Format: "png"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range files {
			names = append(names, filepath.Base(f))
			data, err := os.ReadFile(f)
			if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
				t.Errorf("%s: not a PNG (%v)", f, err)
			}
		}
		for _, w := range c.want {
			if !slices.Contains(names, w) {
				t.Errorf("%s design: no %s among %v", c.design, w, names)
			}
		}
	}
}

// The charts say what they show: titles and axes name the outcome, the
// strategy and the units; each strategy has its curve; the chosen PRIM
// box is drawn at its limits.
func TestExploreChartContent(t *testing.T) {
	r := exploreReport(t, "sobol")
	p, err := ExploreSobol(r, "p_war", "historical - none")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Title.Text, "change in P(war): historical - none") || !strings.Contains(p.X.Label.Text, "95% interval") {
		t.Errorf("sobol chart: title %q, x label %q", p.Title.Text, p.X.Label.Text)
	}
	if _, err := ExploreSobol(r, "p_war", "nobody"); err == nil {
		t.Error("no error for an unknown series")
	}
	if _, err := ExploreMorris(r, "p_war", "none"); err == nil {
		t.Error("Morris chart of a sobol report: no error")
	}
	p, err = ExploreFutures(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := "across 80 futures"; !strings.Contains(p.Title.Text, want) {
		t.Errorf("futures chart title %q, want %q (16 base samples x (3 parameters + 2))", p.Title.Text, want)
	}
	p, err = ExplorePRIMBox(r)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Label.Text != "country.guinea.volatility" {
		t.Errorf("PRIM box x axis %q, want the most restricted parameter, volatility", p.X.Label.Text)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, p, "svg", Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "box: density") {
		t.Error("PRIM box legend missing from the SVG")
	}
}
