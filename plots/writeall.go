package plots

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := checkSummary(s); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	ext := "." + opt.Format
	var written []string
	save := func(name string, encode func(io.Writer) error) error {
		path := filepath.Join(dir, name+ext)
		if err := writeFileAtomic(path, encode); err != nil {
			return err
		}
		written = append(written, path)
		return nil
	}
	chart := func(name string, p *plot.Plot, err error) error {
		if err != nil {
			return err
		}
		return save(name, func(w io.Writer) error { return Encode(w, p, opt.Format, opt) })
	}

	dash, err := Dashboard(s, opt.Caption)
	if err != nil {
		return written, err
	}
	dash.Width, dash.Height, dash.DPI = 2*opt.Width, 1.8*opt.Height, opt.DPI
	if err := checkSize(dash.Width, dash.Height, dash.DPI); err != nil {
		// A large chart size may make the dashboard too large: keep its
		// shape at the largest resolution allowed.
		dash.DPI = int(float64(maxPixels) / float64(max(dash.Width, dash.Height)/72))
	}
	if err := save("dashboard", func(w io.Writer) error { return dash.Encode(w, opt.Format) }); err != nil {
		return written, err
	}
	p, err := StageOutcomes(s)
	if err := chart("outcomes", p, err); err != nil {
		return written, err
	}
	title := "Time to first war, by country"
	if len(s.Countries) == 1 {
		title = countryName(&s.Countries[0]) + ": time to first war"
	}
	p, err = TimeToWar(title, s.HorizonMonths, SurvivalSeries(s))
	if err := chart("survival", p, err); err != nil {
		return written, err
	}
	for i, id := range fileIDs(s) {
		if s.Countries[i].TensionQuantiles != nil {
			p, err := TensionFan(s, i)
			if err := chart("tension-"+id, p, err); err != nil {
				return written, err
			}
		}
		p, err := Occupancy(s, i)
		if err := chart("occupancy-"+id, p, err); err != nil {
			return written, err
		}
		p, err = WarMonths(s, i)
		if err := chart("war-months-"+id, p, err); err != nil {
			return written, err
		}
	}
	return written, nil
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
