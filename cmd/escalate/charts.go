package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/plots"
	"gonum.org/v1/plot/vg"
)

// chartFlags are the flags that control chart files.
type chartFlags struct {
	dir     string // --plots: the charts alone, in a directory of their own
	noPlots bool   // --no-plots: no charts in the --out directory
	format  string
	dpi     int
	// For a paper or a slide: the size of one chart, the font size, the
	// charts wanted, and whether to draw titles and the provenance caption.
	width, height, fontSize float64
	noTitle, noCaption      bool
	charts                  nameList
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
	fs.Float64Var(&cf.width, "width", 0, "width of one chart in `INCHES` (default 8; the dashboard is twice as wide)")
	fs.Float64Var(&cf.height, "height", 0, "height of one chart in `INCHES` (default 5)")
	fs.Float64Var(&cf.fontSize, "font-size", 0, "size of tick labels and legends in `POINTS` (default 12.5); titles and labels scale with it")
	fs.BoolVar(&cf.noTitle, "no-title", false, "draw no chart titles (a paper's caption says it)")
	fs.BoolVar(&cf.noCaption, "no-caption", false, "draw no provenance line under the charts")
	fs.Var(&cf.charts, "chart", "write only the chart `NAME` (e.g. survival, outcomes, occupancy; repeatable)")
}

// check validates the chart flags before anything runs or is written;
// out is the --out directory, if any.
func (cf *chartFlags) check(out string) error {
	if cf.dir != "" && out != "" && (atomicfs.Within(out, cf.dir) || atomicfs.Within(cf.dir, out)) {
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
	for _, v := range []struct {
		name      string
		x, lo, hi float64
	}{{"width", cf.width, 1, 40}, {"height", cf.height, 1, 40}, {"font-size", cf.fontSize, 4, 48}} {
		if v.x != 0 && !(v.x >= v.lo && v.x <= v.hi) {
			return usagef("--%s must be between %g and %g, got %g", v.name, v.lo, v.hi, v.x)
		}
	}
	if err := cf.options(resultfile.Provenance{}, 0).Check(); err != nil {
		return usagef("%v", err)
	}
	return nil
}

func (cf *chartFlags) options(p resultfile.Provenance, runs int64) plots.Options {
	return plots.Options{
		Format: cf.format, DPI: cf.dpi, Caption: p.Caption(runs),
		Width: vg.Length(cf.width) * vg.Inch, Height: vg.Length(cf.height) * vg.Inch,
		FontSize: vg.Length(cf.fontSize), NoTitle: cf.noTitle, NoCaption: cf.noCaption,
		Charts: cf.chartNames(),
	}
}

// chartNames is --chart's names, each use a name or a comma-separated list.
func (cf *chartFlags) chartNames() []string {
	var names []string
	for _, c := range cf.charts {
		for _, n := range strings.Split(c, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	return names
}

// writeInto writes the charts of a result into dir: every chart of a
// summary, the three of a comparison, the one of a sweep.
func (cf *chartFlags) writeInto(dir string, result any) error {
	var err error
	switch r := result.(type) {
	case *resultfile.Summary:
		_, err = plots.WriteAll(dir, r.Summary, cf.options(r.Provenance, r.Runs))
	case *resultfile.Comparison:
		_, err = plots.WriteCompare(dir, r.ComparisonSummary, cf.options(r.Provenance, r.Runs))
	case *resultfile.Sweep:
		_, err = plots.WriteSweep(dir, r.SweepSummary, cf.options(r.Provenance, r.Runs))
	default:
		err = fmt.Errorf("no charts for a %T", result)
	}
	if err != nil {
		return fmt.Errorf("writing charts: %w", err)
	}
	return nil
}

// openDir prepares the --plots directory before any work is done, so
// that a directory that cannot be used stops the command at once, with
// nothing run and nothing written. It is nil without --plots.
func (cf *chartFlags) openDir(ctx context.Context, force bool, inputs ...string) (*atomicfs.Dir, error) {
	if cf.dir == "" {
		return nil, nil
	}
	return atomicfs.CreateChartsDir(ctx, "--plots", cf.dir, force, inputs...)
}

// writeDir writes the charts of result into the --plots directory from
// openDir.
func (cf *chartFlags) writeDir(dir *atomicfs.Dir, result any) error {
	if dir == nil {
		return nil
	}
	if err := dir.Write("", func(d string) error { return cf.writeInto(d, result) }); err != nil {
		return err
	}
	return dir.Commit()
}
