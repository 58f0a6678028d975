package plots

import (
	"fmt"
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
		dash string
	}
	rgba := func(c color.Color) color.RGBA {
		r, g, b, a := c.RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	}
	seen := map[style]int{}
	for i := range 20 {
		st := style{rgba(SeriesColor(i)), fmt.Sprint(SeriesDashes(i))}
		if j, ok := seen[st]; ok {
			t.Errorf("series %d and %d look the same", j, i)
		}
		seen[st] = i
		for s := range sim.NumStages {
			if st.c == rgba(StageColor(sim.Stage(s))) {
				t.Errorf("series %d has the colour of stage %v", i, sim.Stage(s))
			}
		}
	}
	for i := range 5 {
		if SeriesDashes(i) != nil {
			t.Errorf("series %d is dashed, want solid", i)
		}
	}
	if SeriesDashes(5) == nil {
		t.Error("series 5 is solid, want dashed")
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
