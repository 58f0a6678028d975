package plots

import (
	"fmt"
	"testing"
)

func TestSideLegendShown(t *testing.T) {
	for _, tc := range []struct {
		name           string
		series, notes  int
		want           int    // entries shown
		wantMore, last string // the "+ N more" entry, and the last entry
	}{
		{"few", 3, 1, 4, "", "note 0"},
		{"exactly full", maxLegendEntries, 0, maxLegendEntries, "", fmt.Sprintf("series %d", maxLegendEntries-1)},
		{"many", 64, 0, maxLegendEntries, "+ 51 more", "+ 51 more"},
		{"many with notes", 64, 2, maxLegendEntries, "+ 53 more", "note 1"},
	} {
		l := newSideLegend(standard)
		for i := range tc.series {
			l.add(fmt.Sprintf("series %d", i), swatch{fill: SeriesColor(i)})
		}
		for i := range tc.notes {
			l.note(fmt.Sprintf("note %d", i), nil)
		}
		got := l.shown()
		if len(got) != tc.want {
			t.Errorf("%s: %d entries shown, want %d", tc.name, len(got), tc.want)
			continue
		}
		if got[len(got)-1].text != tc.last {
			t.Errorf("%s: last entry %q, want %q", tc.name, got[len(got)-1].text, tc.last)
		}
		if tc.wantMore != "" {
			found := false
			for _, e := range got {
				found = found || e.text == tc.wantMore
			}
			if !found {
				t.Errorf("%s: no %q entry", tc.name, tc.wantMore)
			}
		}
	}
}

func TestSideLegendReservesWidth(t *testing.T) {
	l := newSideLegend(standard)
	if l.GlyphBoxes(nil) != nil {
		t.Error("an empty legend reserves room")
	}
	l.add("short", swatch{fill: Blue})
	w1 := l.width()
	l.add("a much longer entry", swatch{fill: Blue})
	w2 := l.width()
	if !(w2 > w1 && w1 > l.textX()) {
		t.Errorf("widths %v, %v: want growing with the text", w1, w2)
	}
	boxes := l.GlyphBoxes(nil)
	if len(boxes) != 1 || boxes[0].X != 1 || boxes[0].Size().X != w2 || boxes[0].Size().Y != 0 {
		t.Errorf("glyph boxes %v: want one at the right edge, %v wide and no height", boxes, w2)
	}
}

func TestLegendNotCoveringData(t *testing.T) {
	// Every legend entry is drawn right of the data area.
	p, err := TensionFan(known(24), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range allPaths(t, p) {
		if sameColor(d.color, fanInner) && d.fill && !d.inside {
			for _, pt := range d.pts {
				if float64(pt.X) <= p.X.Max {
					t.Errorf("legend swatch at %v overlaps the data area", pt)
				}
			}
		}
	}
}
