package plots

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The comparison table of guinea-2009 as escalate compare prints it.
var (
	compareHeader = []string{"Strategy", "P(war)", "95% interval", "Change in P(war) [95%]", "Months at war", "Change [95%]", "Median time to war", "Mean cost", "Cost per war averted"}
	compareRows   = [][]string{
		{"No mission", "46.1%", "45.1–47.1%", "baseline", "3.51", "baseline", "not within 36 mo", "$0"},
		{"Historical missions", "17.5%", "16.8–18.2%", "-28.6 pts [-29.5, -27.7]", "0.90", "-2.60 [-2.69, -2.51]", "not within 36 mo", "$5.9M", "$20.6M"},
		{"Faster start-up", "16.1%", "15.4–16.8%", "-30.0 pts [-30.9, -29.1]", "0.83", "-2.67 [-2.77, -2.58]", "not within 36 mo", "$6.2M", "$20.6M"},
		{"Doubled staff", "9.8%", "9.2–10.4%", "-36.3 pts [-37.3, -35.4]", "0.42", "-3.09 [-3.19, -2.98]", "not within 36 mo", "$11.8M", "$32.5M"},
	}
)

func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, utf8.RuneCountInString(l))
	}
	return w
}

func TestTextTable(t *testing.T) {
	// Without a limit: one line a row, every cell starting where its
	// heading does, two spaces after the widest cell of the column before.
	wide := TextTable(compareHeader, compareRows, 0)
	lines := strings.Split(wide, "\n")
	start := 0
	for j, h := range compareHeader {
		if got := strings.Index(lines[0], h); utf8.RuneCountInString(lines[0][:got]) != start {
			t.Errorf("heading %q at %d, want %d", h, got, start)
		}
		colWidth := utf8.RuneCountInString(h)
		for i, r := range compareRows {
			if j >= len(r) {
				continue
			}
			runes := []rune(lines[i+1])
			if got := string(runes[start:min(len(runes), start+utf8.RuneCountInString(r[j]))]); got != r[j] {
				t.Errorf("row %d column %d: %q, want %q", i, j, got, r[j])
			}
			colWidth = max(colWidth, utf8.RuneCountInString(r[j]))
		}
		start += colWidth + 2
	}
	full := widest(wide)
	if full < 150 {
		t.Fatalf("the full table is only %d columns", full)
	}
	for _, tc := range []struct {
		width      int
		lines      int    // of the table
		firstLine  string // its first line, trimmed
		headerRows int    // lines before the first row
	}{
		{full, 5, "Strategy", 1},
		{140, 0, "Strategy", 3},
		{80, 0, "No mission", 0},
		{40, 0, "No mission", 0},
	} {
		got := TextTable(compareHeader, compareRows, tc.width)
		if w := widest(got); w > tc.width {
			t.Errorf("width %d: table %d wide:\n%s", tc.width, w, got)
		}
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if tc.lines > 0 && len(lines) != tc.lines {
			t.Errorf("width %d: %d lines", tc.width, len(lines))
		}
		if !strings.HasPrefix(lines[0], tc.firstLine) {
			t.Errorf("width %d: first line %q", tc.width, lines[0])
		}
		if tc.headerRows > 0 && !strings.HasPrefix(lines[tc.headerRows], "No mission") {
			t.Errorf("width %d: %d heading lines, want %d:\n%s", tc.width, slicesIndexPrefix(lines, "No mission"), tc.headerRows, got)
		}
		// Every cell is there, and every heading's words.
		for _, r := range compareRows {
			for _, c := range r {
				if !strings.Contains(got, c) {
					t.Errorf("width %d: cell %q missing", tc.width, c)
				}
			}
		}
		for j, h := range compareHeader {
			if j == 0 && tc.headerRows == 0 {
				continue // blocks are named by their first cell alone
			}
			for _, word := range strings.Fields(h) {
				if !strings.Contains(got, word) {
					t.Errorf("width %d: heading word %q missing", tc.width, word)
				}
			}
		}
		for _, l := range lines {
			if l != strings.TrimRight(l, " ") {
				t.Errorf("width %d: trailing spaces in %q", tc.width, l)
			}
		}
	}
	// Blocks: a row's name, then its cells named by their headings, the
	// baseline's missing cell left out.
	narrow := TextTable(compareHeader, compareRows, 80)
	if !strings.Contains(narrow, "Historical missions\n  P(war): 17.5%\n  95% interval: 16.8–18.2%\n  Change in P(war) [95%]: -28.6 pts [-29.5, -27.7]\n") ||
		strings.Contains(narrow, "Cost per war averted: \n") {
		t.Errorf("blocks:\n%s", narrow)
	}
	if TextTable(nil, compareRows, 80) != "" {
		t.Error("a table without a header is not empty")
	}
}

func slicesIndexPrefix(lines []string, p string) int {
	for i, l := range lines {
		if strings.HasPrefix(l, p) {
			return i
		}
	}
	return -1
}
