package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/escalate-sim/escalate/plots"
)

// chartFlags are the flags that control chart files.
type chartFlags struct {
	dir     string // --plots: the charts alone, in a directory of their own
	noPlots bool   // --no-plots: no charts in the --out directory
	format  string
	dpi     int
}

// register adds --plot-format and --dpi, and, with outputs, --plots and
// --no-plots (commands that write results: run, compare, sweep).
func (cf *chartFlags) register(fs *flagSet, outputs bool) {
	if outputs {
		fs.StringVar(&cf.dir, "plots", "", "write the charts to `DIR` (--out also writes them to DIR/plots)")
		fs.BoolVar(&cf.noPlots, "no-plots", false, "with --out, skip the charts in DIR/plots")
	}
	fs.StringVar(&cf.format, "plot-format", "png", "chart format: png, svg or pdf")
	fs.IntVar(&cf.dpi, "dpi", plots.DefaultDPI, "resolution of PNG charts (8 x 5 inch charts; 200 dpi is 1600 px wide)")
}

// check validates the chart flags before anything runs or is written;
// out is the --out directory, if any.
func (cf *chartFlags) check(out string) error {
	if cf.dir != "" && out != "" && (within(out, cf.dir) || within(cf.dir, out)) {
		return usagef("--plots %s and --out %s overlap: each is written whole, so neither may hold the other (--out already writes the charts to %s)",
			cf.dir, out, filepath.Join(out, "plots"))
	}
	switch cf.format {
	case "png", "svg", "pdf":
	default:
		return usagef("--plot-format must be png, svg or pdf, got %q", cf.format)
	}
	if cf.dpi < 50 || cf.dpi > 1200 {
		return usagef("--dpi must be between 50 and 1200, got %d", cf.dpi)
	}
	return nil
}

func (cf *chartFlags) options(p provenance, runs int64) plots.Options {
	return plots.Options{Format: cf.format, DPI: cf.dpi, Caption: chartCaption(p, runs)}
}

// chartCaption is the provenance line drawn at the bottom of every chart,
// so that a figure in a paper says how to reproduce it.
func chartCaption(p provenance, runs int64) string {
	parts := []string{p.Tool, p.Source, plots.RunCount(runs), fmt.Sprintf("seed %d", p.Seed)}
	if p.Strategy != "" {
		parts = append(parts, "strategy "+p.Strategy)
	}
	for _, o := range p.Overrides {
		parts = append(parts, o)
	}
	if len(p.ScenarioSHA256) >= 12 {
		parts = append(parts, "sha256 "+p.ScenarioSHA256[:12])
	}
	return strings.Join(parts, " · ")
}

func writeSummaryChartsInto(dir string, sum *summaryFile, cf *chartFlags) error {
	if _, err := plots.WriteAll(dir, sum.Summary, cf.options(sum.Provenance, sum.Runs)); err != nil {
		return fmt.Errorf("writing charts: %w", err)
	}
	return nil
}

// writeComparisonChartsInto writes the charts of a comparison into dir.
func writeComparisonChartsInto(dir string, c *comparisonFile, cf *chartFlags) error {
	if _, err := plots.WriteCompare(dir, c.ComparisonSummary, cf.options(c.Provenance, c.Runs)); err != nil {
		return fmt.Errorf("writing charts: %w", err)
	}
	return nil
}

// writeSweepChartsInto writes the chart of a sweep into dir.
func writeSweepChartsInto(dir string, s *sweepFile, cf *chartFlags) error {
	if _, err := plots.WriteSweep(dir, s.SweepSummary, cf.options(s.Provenance, s.Runs)); err != nil {
		return fmt.Errorf("writing charts: %w", err)
	}
	return nil
}

// inOut returns the charts to write into an --out directory (nil with
// --no-plots).
func (cf *chartFlags) inOut(write func(dir string) error) func(dir string) error {
	if cf.noPlots {
		return nil
	}
	return write
}

// openDir prepares the --plots directory before any work is done, so
// that a directory that cannot be used stops the command at once, with
// nothing run and nothing written. It is nil without --plots.
func (cf *chartFlags) openDir(ctx context.Context, force bool, inputs ...string) (*outDir, error) {
	if cf.dir == "" {
		return nil, nil
	}
	return createChartsDir(ctx, "--plots", cf.dir, force, inputs...)
}

// within reports whether path is dir or lies inside it.
func within(path, dir string) bool {
	a, err1 := filepath.Abs(realPath(path))
	b, err2 := filepath.Abs(realPath(dir))
	if err1 != nil || err2 != nil {
		return filepath.Clean(path) == filepath.Clean(dir)
	}
	rel, err := filepath.Rel(b, a)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writeDir writes the charts into the --plots directory from openDir.
func (cf *chartFlags) writeDir(dir *outDir, write func(dir string) error) error {
	if dir == nil {
		return nil
	}
	if err := dir.write("", write); err != nil {
		return err
	}
	return dir.commit()
}
