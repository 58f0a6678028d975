package plots

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/plot"

	"github.com/escalate-sim/escalate/sim"
)

// WriteAll writes every chart of a summary into dir (created if needed),
// in opt's format and size, each with opt's caption:
//
//	dashboard.EXT            Dashboard, 2 × Width by 1.8 × Height
//	outcomes.EXT             StageOutcomes
//	survival.EXT             TimeToWar of SurvivalSeries
//	tension-COUNTRY.EXT      TensionFan (tension dynamics only)
//	occupancy-COUNTRY.EXT    Occupancy
//	war-months-COUNTRY.EXT   WarMonths
//
// where COUNTRY is the country's id, with characters other than letters,
// digits, "-" and "_" replaced by "_". Files are written atomically. It
// returns the paths written, in that order, also when it fails part way.
func WriteAll(dir string, s *sim.Summary, opt Options) ([]string, error) {
	cw, err := startCharts(dir, opt, func() error { return checkSummary(s) })
	if err != nil {
		return nil, err
	}
	opt = cw.opt
	dash, err := Dashboard(s, opt.Caption)
	if err != nil {
		return cw.finish(err)
	}
	opt.dashboard(dash)
	if err := cw.save("dashboard", func(w io.Writer) error { return dash.Encode(w, opt.Format) }); err != nil {
		return cw.finish(err)
	}
	p, err := StageOutcomes(s)
	if err := cw.chart("outcomes", p, err); err != nil {
		return cw.finish(err)
	}
	title := "Time to first war, by country"
	if len(s.Countries) == 1 {
		title = countryName(&s.Countries[0]) + ": time to first war"
	}
	p, err = TimeToWar(title, s.HorizonMonths, SurvivalSeries(s))
	if err := cw.chart("survival", p, err); err != nil {
		return cw.finish(err)
	}
	for i, id := range fileIDs(s) {
		if s.Countries[i].TensionQuantiles != nil {
			p, err := TensionFan(s, i)
			if err := cw.chart("tension-"+id, p, err); err != nil {
				return cw.finish(err)
			}
		}
		p, err := Occupancy(s, i)
		if err := cw.chart("occupancy-"+id, p, err); err != nil {
			return cw.finish(err)
		}
		p, err = WarMonths(s, i)
		if err := cw.chart("war-months-"+id, p, err); err != nil {
			return cw.finish(err)
		}
	}
	return cw.finish(nil)
}

// fileIDs returns the countries' ids made safe and unique as parts of file
// names.
func fileIDs(s *sim.Summary) []string {
	out := make([]string, len(s.Countries))
	seen := map[string]bool{}
	for i := range s.Countries {
		id := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				return r
			}
			return '_'
		}, s.Countries[i].ID)
		if id == "" {
			id = "country" + strconv.Itoa(i+1)
		}
		base := id
		for k := 2; seen[strings.ToLower(id)]; k++ {
			id = base + "-" + strconv.Itoa(k)
		}
		seen[strings.ToLower(id)] = true
		out[i] = id
	}
	return out
}

// chartWriter writes the charts of one call into a directory, atomically,
// each in the options' format. Charts are rendered concurrently when the
// call finishes: rasterising a PNG takes a tenth of a second or more, and
// charts do not depend on one another.
type chartWriter struct {
	dir   string
	opt   Options // with defaults
	jobs  []chartJob
	names []string // of every chart, written or not
}

type chartJob struct {
	path   string
	encode func(io.Writer) error
}

// startCharts applies opt's defaults, checks the input with check and
// returns a chartWriter for dir.
func startCharts(dir string, opt Options, check func() error) (*chartWriter, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := check(); err != nil {
		return nil, err
	}
	return newChartWriter(dir, opt)
}

// newChartWriter creates dir if needed. opt must have its defaults.
func newChartWriter(dir string, opt Options) (*chartWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	return &chartWriter{dir: dir, opt: opt}, nil
}

// save queues the file name.EXT, written with encode by finish, if the
// options select it.
func (w *chartWriter) save(name string, encode func(io.Writer) error) error {
	w.names = append(w.names, name)
	if w.opt.selects(name) {
		w.jobs = append(w.jobs, chartJob{filepath.Join(w.dir, name+"."+w.opt.Format), encode})
	}
	return nil
}

// finish writes every queued chart and returns the paths written, in the
// order queued, and the first error: buildErr (a chart that could not be
// built, after which nothing more was queued), a name in the options'
// Charts that selects no chart (then nothing is written), or a failed
// write.
func (w *chartWriter) finish(buildErr error) ([]string, error) {
	if buildErr == nil {
		if err := w.opt.checkSelected(w.names); err != nil {
			return nil, err
		}
	}
	errs := make([]error, len(w.jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, j := range w.jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = writeFileAtomic(j.path, j.encode)
		}()
	}
	wg.Wait()
	var written []string
	err := buildErr
	for i, j := range w.jobs {
		if errs[i] == nil {
			written = append(written, j.path)
		} else if err == nil {
			err = errs[i]
		}
	}
	return written, err
}

// chart writes the chart p as name.EXT, or returns err, the error of the
// chart's builder.
func (w *chartWriter) chart(name string, p *plot.Plot, err error) error {
	if err != nil {
		return err
	}
	return w.save(name, func(out io.Writer) error { return Encode(out, p, w.opt.Format, w.opt) })
}
