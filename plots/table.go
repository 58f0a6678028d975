package plots

import (
	"strings"
	"unicode/utf8"
)

// TextTable lays out a table of text, such as escalate's comparison
// tables, in at most width columns, for a terminal projected to a room
// (a comparison of four strategies is about 190 columns wide, a few hundred
// with long strategy names). It tries, in order:
//
//   - one line a row, columns two spaces apart (as text/tabwriter aligns
//     them, except that a row with fewer cells does not break the
//     alignment of the columns after its last cell);
//   - the same with the headings broken onto several lines between words;
//   - a block a row: the row's first cell, then each other heading and its
//     cell, indented, one a line ("  P(war): 17.5%", or the cell on a line
//     of its own under its heading where both do not fit), empty cells
//     left out. The first heading ("Strategy") goes without saying.
//
// Lines end without trailing spaces; the result ends with a newline. Only
// a cell wider than width - 4 makes a line wider than width. A width of
// zero or less means no limit. Rows may be shorter than the
// header; cells beyond the header are dropped.
func TextTable(header []string, rows [][]string, width int) string {
	if len(header) == 0 {
		return ""
	}
	cell := func(r []string, j int) string {
		if j < len(r) {
			return r[j]
		}
		return ""
	}
	// The narrowest each column can be: its widest cell, and its heading
	// whole or its longest word.
	cols := make([]int, len(header))
	for j := range header {
		for _, r := range rows {
			cols[j] = max(cols[j], textWidth(cell(r, j)))
		}
	}
	total := func(w []int) int {
		sum := 2 * (len(w) - 1)
		for _, x := range w {
			sum += x
		}
		return sum
	}
	oneLine := make([]int, len(cols))
	for j, h := range header {
		oneLine[j] = max(cols[j], textWidth(h))
	}
	if width <= 0 || total(oneLine) <= width {
		return alignedTable([][]string{header}, rows, oneLine)
	}
	// Headings broken between words, each within its column's cells'
	// width where a word allows.
	broken := make([]int, len(cols))
	for j, h := range header {
		broken[j] = cols[j]
		for _, word := range strings.Fields(h) {
			broken[j] = max(broken[j], textWidth(word))
		}
	}
	if total(broken) <= width {
		lines := [][]string{make([]string, len(header))}
		for j, h := range header {
			for i, l := range breakWords(h, broken[j]) {
				for len(lines) <= i {
					lines = append(lines, make([]string, len(header)))
				}
				lines[i][j] = l
			}
		}
		return alignedTable(lines, rows, broken)
	}
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRight(cell(r, 0), " "))
		b.WriteByte('\n')
		for j := 1; j < len(header); j++ {
			v := cell(r, j)
			switch {
			case v == "":
			case width > 0 && textWidth(header[j])+textWidth(v)+4 > width:
				// Too long for a line: the value under its heading.
				b.WriteString("  " + header[j] + ":\n    " + v + "\n")
			default:
				b.WriteString("  " + header[j] + ": " + v + "\n")
			}
		}
	}
	return b.String()
}

// alignedTable writes the header lines and rows in columns of the given
// widths, two spaces apart.
func alignedTable(header, rows [][]string, widths []int) string {
	var b strings.Builder
	write := func(r []string) {
		var line strings.Builder
		for j, w := range widths {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			line.WriteString(v)
			if j < len(widths)-1 {
				line.WriteString(strings.Repeat(" ", w-textWidth(v)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	for _, h := range header {
		write(h)
	}
	for _, r := range rows {
		write(r)
	}
	return b.String()
}

// breakWords breaks s between words into lines at most w wide (a word
// wider than w on a line of its own).
func breakWords(s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = word
		case textWidth(cur)+1+textWidth(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	return append(lines, cur)
}

// textWidth is the number of columns s takes in a terminal: one a
// character (the tables hold no wide characters).
func textWidth(s string) int { return utf8.RuneCountInString(s) }
