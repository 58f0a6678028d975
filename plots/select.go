package plots

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot/vg"
)

// The smallest layout of a dashboard, in the default style's units.
const (
	minDashboardWidth  = 13 * vg.Inch
	minDashboardHeight = 7 * vg.Inch
)

// selects reports whether opt.Charts selects the chart name: it is one of
// them, or starts with one of them and a dash.
func (opt Options) selects(name string) bool {
	if len(opt.Charts) == 0 {
		return true
	}
	for _, c := range opt.Charts {
		if selectsName(c, name) {
			return true
		}
	}
	return false
}

func selectsName(sel, name string) bool {
	return name == sel || strings.HasPrefix(name, sel+"-")
}

// checkSelected returns an error naming the charts of opt.Charts that
// select none of names, the charts a call can write.
func (opt Options) checkSelected(names []string) error {
	var missing []string
	for _, c := range opt.Charts {
		found := false
		for _, n := range names {
			if selectsName(c, n) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	what := "no chart named"
	return fmt.Errorf("plots: %s %s; the charts are %s", what, strings.Join(missing, ", "), strings.Join(names, ", "))
}

// dashboard sets the dashboard f to opt's size, resolution, font size and
// title choice: 2 × Width by 1.8 × Height (16 × 9 inches by default) at
// opt's DPI, lowered if needed to keep the image within the size limits,
// with fonts scaled as opt's, or less where the dashboard would otherwise
// be laid out on less than 13 × 7 inches. opt must have its defaults.
func (opt Options) dashboard(f *Figure) {
	f.Width, f.Height, f.DPI = 2*opt.Width, 1.8*opt.Height, opt.DPI
	if err := checkSize(f.Width, f.Height, f.DPI); err != nil {
		// A large chart size may make the dashboard too large: keep its
		// shape at the largest resolution allowed.
		f.DPI = int(float64(maxPixels) / float64(max(f.Width, f.Height)/72))
	}
	// The dashboard's panels need a layout of at least 13 × 7 inches of
	// the default style (its default is 16 × 9): for a small dashboard,
	// smaller fonts than the charts'.
	f.FontScale = min(opt.scale(), float64(f.Width/minDashboardWidth), float64(f.Height/minDashboardHeight))
	if opt.NoTitle {
		f.Title, f.Subtitle = "", ""
	}
	if opt.NoCaption {
		f.Caption = ""
	}
}

// Check reports whether opt can be used: a known format, a size,
// resolution and font size within their limits. A command can call it
// before the work whose charts it will draw; the names in Charts can only
// be checked against the charts of a result.
func (opt Options) Check() error {
	_, err := opt.withDefaults()
	return err
}
