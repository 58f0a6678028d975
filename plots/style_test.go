package plots

import (
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestMonthTicks(t *testing.T) {
	for _, tc := range []struct {
		th       theme
		min, max float64
		want     []string
	}{
		{standard, 0, 1, []string{"0", "1"}},
		{standard, 0, 6, []string{"0", "1", "2", "3", "4", "5", "6"}},
		{standard, 0, 24, []string{"0", "6", "12", "18", "24"}},
		{standard, 0, 36, []string{"0", "6", "12", "18", "24", "30", "36"}},
		{compact, 0, 36, []string{"0", "6", "12", "18", "24", "30", "36"}},
		{standard, 0, 60, []string{"0", "12", "24", "36", "48", "60"}},
		{standard, 0, 120, []string{"0", "24", "48", "72", "96", "120"}},
		{compact, 0, 360, []string{"0", "120", "240", "360"}},
		{standard, 0, 1200, []string{"0", "240", "480", "720", "960", "1200"}},
		{compact, 0, 1200, []string{"0", "600", "1200"}},
	} {
		got := labels(monthTicks(tc.th).Ticks(tc.min, tc.max))
		if !slices.Equal(got, tc.want) {
			t.Errorf("monthTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestShareTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     []string
	}{
		{0, 1, []string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{0, 0.02, []string{"0%", "0.5%", "1%", "1.5%", "2%"}},
		{0, 0.01, []string{"0%", "0.2%", "0.4%", "0.6%", "0.8%", "1%"}},
		{0.5, 0.5, []string{"50%"}},
	} {
		got := labels(shareTicks.Ticks(tc.min, tc.max))
		if !slices.Equal(got, tc.want) {
			t.Errorf("shareTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestDecimalTicks(t *testing.T) {
	got := labels(decimalTicks.Ticks(0, 1))
	want := []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}
	if !slices.Equal(got, want) {
		t.Errorf("decimalTicks(0, 1) = %q, want %q", got, want)
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0, "0%"}, {-1, "0%"}, {0.0004, "<0.1%"}, {0.042, "4.2%"}, {0.42, "42%"},
		{0.955, "95.5%"}, {0.9996, ">99.9%"}, {1, "100%"}, {2, "100%"},
	} {
		if got := percent(tc.x); got != tc.want {
			t.Errorf("percent(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {10000, "10,000"}, {1234567, "1,234,567"}, {-1234, "-1,234"},
	} {
		if got := thousands(tc.n); got != tc.want {
			t.Errorf("thousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestIgnoresDefaultTextHandler(t *testing.T) {
	// A program that draws its other plots with LaTeX, where "%" starts a
	// comment, still gets percentages.
	saved := plot.DefaultTextHandler
	defer func() { plot.DefaultTextHandler = saved }()
	plot.DefaultTextHandler = text.Latex{Fonts: font.DefaultCache}
	p, err := StageOutcomes(known(12))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "100%", "Share of runs")
}

func TestPercents(t *testing.T) {
	for i, test := range []struct {
		in   []float64
		want []string
	}{
		{[]float64{0.175, 0.168, 0.182}, []string{"17.5%", "16.8%", "18.2%"}},
		{[]float64{0.35, 0.25, 0.45}, []string{"35%", "25%", "45%"}},
		{[]float64{0, 0, 0.0004}, []string{"0%", "0%", "<0.1%"}},
		{[]float64{0.035, 0.027, 0.043}, []string{"3.5%", "2.7%", "4.3%"}},
	} {
		got := percents(test.in...)
		if !slices.Equal(got, test.want) {
			t.Errorf("%d: percents(%v) = %v, want %v", i, test.in, got, test.want)
		}
	}
}
