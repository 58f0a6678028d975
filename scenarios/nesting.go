package scenarios

// maxNesting bounds how deeply a scenario's inline tables and arrays may
// nest ({ a = [ { ... } ] }). The format needs two levels at most (an
// array inside an inline table). The TOML library's decoding and the key
// walks after it cost the square of the depth or more: a 32 KB file nested
// 8,000 deep took 20 s and 2.8 GB before its depth was even checked.
const maxNesting = 8

// nestingLine scans TOML text, without parsing it, for inline tables and
// arrays nested more than maxNesting deep and returns the 1-based line
// where that happens, or 0. Strings, comments and table headers are
// skipped; anything malformed is left to the parser, which reports it.
func nestingLine(data []byte) int {
	depth, line := 0, 1
	lineStart := true // only blanks since the line began
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
			lineStart = true
			continue
		case ' ', '\t', '\r':
			continue
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			i = skipString(data, i, &line)
		case '[':
			if lineStart && depth == 0 {
				// A table header, [a.b] or [[a.b]]: not nesting.
				for i+1 < len(data) && data[i+1] != '\n' && data[i+1] != ']' {
					i++
				}
				break
			}
			fallthrough
		case '{':
			if depth++; depth > maxNesting {
				return line
			}
		case '}', ']':
			if depth > 0 {
				depth--
			}
		}
		lineStart = false
	}
	return 0
}

// skipString returns the index of the last byte of the string that starts
// at data[i] (basic or literal, on one line or several), counting the
// lines it spans.
func skipString(data []byte, i int, line *int) int {
	q := data[i]
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q {
		for j := i + 3; j < len(data); j++ {
			switch {
			case data[j] == '\n':
				*line++
			case q == '"' && data[j] == '\\':
				j++
			case j+2 < len(data) && data[j] == q && data[j+1] == q && data[j+2] == q:
				return j + 2
			}
		}
		return len(data) - 1
	}
	for j := i + 1; j < len(data); j++ {
		switch {
		case data[j] == '\n':
			return j - 1 // unterminated: the parser says so
		case q == '"' && data[j] == '\\':
			j++
		case data[j] == q:
			return j
		}
	}
	return len(data) - 1
}
