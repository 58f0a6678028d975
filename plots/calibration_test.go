package plots

import (
	"bytes"
	"testing"

	"github.com/escalate-sim/escalate/calibrate"
)

func TestCalibrationCharts(t *testing.T) {
	h := &calibrate.Holdout{Year: 2010, To: 2012,
		Shares: []calibrate.YearShares{
			{Year: 2010, Countries: 10, Observed: [3]float64{0.8, 0.1, 0.1}, Predicted: [3]float64{0.85, 0.1, 0.05}, Lo: [3]float64{0.7, 0, 0}, Hi: [3]float64{1, 0.2, 0.1}},
			{Year: 2011, Countries: 10, Observed: [3]float64{0.9, 0.1, 0}, Predicted: [3]float64{0.85, 0.1, 0.05}, Lo: [3]float64{0.7, 0, 0}, Hi: [3]float64{1, 0.2, 0.1}},
		},
		War: calibrate.Durations{Spells: 3, Observed: []float64{1, 0.5, 0}, Simulated: []float64{1, 0.6, 0.3}},
	}
	p, err := CalibrationShares(h)
	if err != nil {
		t.Fatal(err)
	}
	// The y axis leaves room above the highest band and observation.
	if p.Y.Min != 0 || p.Y.Max < 0.2 {
		t.Errorf("y axis %g..%g", p.Y.Min, p.Y.Max)
	}
	var b bytes.Buffer
	if err := Encode(&b, p, "svg", Options{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"observed, war", "predicted, minor conflict (95% band)", "predicted from 2009"} {
		if !bytes.Contains(b.Bytes(), []byte(w)) {
			t.Errorf("shares chart lacks %q", w)
		}
	}
	d, err := CalibrationDurations("war", h.War)
	if err != nil {
		t.Fatal(err)
	}
	if d.X.Max != 2 || d.Y.Max != 1 {
		t.Errorf("durations axes x..%g y..%g", d.X.Max, d.Y.Max)
	}
	if _, err := CalibrationDurations("peace", calibrate.Durations{}); err == nil {
		t.Error("no curves: no error")
	}
	if _, err := CalibrationShares(&calibrate.Holdout{}); err == nil {
		t.Error("no years: no error")
	}
}
