package plots

import (
	"image/color"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func TestStageColor(t *testing.T) {
	for _, tc := range []struct {
		st   sim.Stage
		want color.Color
		name string
	}{
		{sim.Latent, BluishGreen, "Latent"},
		{sim.Escalating, Orange, "Escalating"},
		{sim.War, Vermillion, "War"},
	} {
		if got := StageColor(tc.st); !sameColor(got, tc.want) {
			t.Errorf("StageColor(%v) = %v, want %v", tc.st, got, tc.want)
		}
		if got := StageLabel(tc.st); got != tc.name {
			t.Errorf("StageLabel(%v) = %q, want %q", tc.st, got, tc.name)
		}
	}
	if c := StageColor(sim.Stage(7)); c == nil || sameColor(c, Vermillion) {
		t.Errorf("StageColor(7) = %v, want a grey", c)
	}
}

func TestSeriesColorsDistinct(t *testing.T) {
	// The first eight series differ in colour; the next eight repeat the
	// colours with a different dash pattern.
	type style struct {
		c    color.RGBA
		dash int
	}
	seen := map[style]int{}
	for i := range 32 {
		r, g, b, a := SeriesColor(i).RGBA()
		st := style{color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}, len(SeriesDashes(i))*100 + i/8}
		if j, ok := seen[st]; ok {
			t.Errorf("series %d and %d look the same", j, i)
		}
		seen[st] = i
	}
	for i := range 8 {
		if SeriesDashes(i) != nil {
			t.Errorf("series %d is dashed, want solid", i)
		}
	}
	if SeriesDashes(8) == nil {
		t.Error("series 8 is solid, want dashed")
	}
	if SeriesColor(-1) == nil {
		t.Error("SeriesColor(-1) is nil")
	}
}

func TestWithAlpha(t *testing.T) {
	_, _, _, a := withAlpha(Blue, 0.5).RGBA()
	if a < 0x7f00 || a > 0x8100 {
		t.Errorf("alpha = %#x, want about 0x8000", a)
	}
}
