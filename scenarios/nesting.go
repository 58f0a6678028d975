package scenarios

import (
	"fmt"
	"strings"
)

// maxNesting bounds how deeply a scenario's inline tables and arrays may
// nest ({ a = [ { ... } ] }). The format needs two levels at most (an
// array inside an inline table). The TOML library's decoding and the key
// walks after it cost the square of the depth or more: a 32 KB file nested
// 8,000 deep took 20 s and 2.8 GB before its depth was even checked.
const maxNesting = 8

// maxKeyDepth bounds how many parts a key path may have, counting the
// table header it is under and the inline tables it is in. The deepest key
// of the format has five parts (country.ID.shock.NAME.rate_per_year); a
// few more leave room for mistakes that get a precise message. The TOML
// library spends time and memory quadratic in a key's parts: a 40 KB
// dotted key of 20,000 parts took 100 s and 5 GB to parse.
const maxKeyDepth = 8

// depthProblem is where a file's keys or values nest too deeply.
type depthProblem struct {
	line int
	key  string // the offending key as written, shortened; "" for values
	msg  string
}

// checkDepth scans TOML text, without parsing it, for keys of more than
// maxKeyDepth parts (a dotted key, a table header, or either inside inline
// tables) and for inline tables and arrays nested more than maxNesting
// deep. It reads each byte a bounded number of times, so its time is
// linear in the file, and it runs before the parser, whose cost is not.
// Strings and comments are skipped; anything malformed is left to the
// parser, which reports it.
func checkDepth(data []byte) *depthProblem {
	type frame struct {
		table bool // an inline table, else an array
		base  int  // key parts of the path the container is the value of
	}
	var (
		stack     []frame
		line      = 1
		header    = 0    // parts of the current [table] header
		valueBase = 0    // parts of the key whose value is being read
		expectKey = true // a key may start here
	)
	for i := 0; i < len(data); {
		c := data[i]
		switch c {
		case '\n':
			line++
			if len(stack) == 0 {
				expectKey = true
			}
			i++
			continue
		case ' ', '\t', '\r':
			i++
			continue
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			continue
		}
		if expectKey {
			expectKey = false
			if len(stack) == 0 && c == '[' {
				// A table header, [a.b] or [[a.b]].
				j := i + 1
				if j < len(data) && data[j] == '[' {
					j++
				}
				parts, text, end := scanKey(data, j)
				if parts > maxKeyDepth {
					return keyTooDeep(line, text)
				}
				header = parts
				for end < len(data) && (data[end] == ']' || data[end] == ' ' || data[end] == '\t') {
					end++
				}
				i = end
				continue
			}
			if len(stack) > 0 && c == '}' {
				// {} or a trailing comma: no key; the close is below.
			} else if parts, text, end := scanKey(data, i); parts > 0 {
				base := header
				if len(stack) > 0 {
					base = stack[len(stack)-1].base
				}
				if base+parts > maxKeyDepth {
					return keyTooDeep(line, text)
				}
				valueBase = base + parts
				i = end
				continue
			}
		}
		switch c {
		case '"', '\'':
			i = skipString(data, i, &line)
		case '[', '{':
			if len(stack) > 0 && !stack[len(stack)-1].table {
				valueBase = stack[len(stack)-1].base
			}
			stack = append(stack, frame{table: c == '{', base: valueBase})
			if len(stack) > maxNesting {
				return &depthProblem{line: line, msg: fmt.Sprintf("inline tables or arrays nested more than %d deep; a scenario needs two levels at most", maxNesting)}
			}
			expectKey = c == '{'
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].table
		}
		i++
	}
	return nil
}

func keyTooDeep(line int, key string) *depthProblem {
	return &depthProblem{line: line, key: key,
		msg: fmt.Sprintf("keys nest more than %d levels deep (counting the table header and inline tables they are in); a scenario's keys nest at most 5 (as in country.ID.shock.NAME.rate_per_year)", maxKeyDepth)}
}

// scanKey reads a dotted key (bare or quoted parts, blanks around the
// dots) starting at data[i]. It returns the number of parts (0 if no key
// starts there), the first parts as written for messages, and the index
// after the key.
func scanKey(data []byte, i int) (parts int, text string, end int) {
	const shown = 4
	var b strings.Builder
	for {
		for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
			i++
		}
		start := i
		switch {
		case i < len(data) && (data[i] == '"' || data[i] == '\''):
			one := 0
			j := skipString(data, i, &one)
			if one > 0 || j >= len(data) {
				// Not a one-line string: not a key; the parser says why.
				return parts, b.String(), start
			}
			i = j + 1
		default:
			for i < len(data) && isBareKeyByte(data[i]) {
				i++
			}
		}
		if i == start {
			return parts, b.String(), start
		}
		parts++
		switch {
		case parts <= shown:
			if parts > 1 {
				b.WriteByte('.')
			}
			b.WriteString(shorten(string(data[start:i])))
		case parts == shown+1:
			b.WriteString("...")
		}
		j := i
		for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
			j++
		}
		if j >= len(data) || data[j] != '.' {
			return parts, b.String(), i
		}
		i = j + 1
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// nestingLine returns the line of checkDepth's problem, or 0.
func nestingLine(data []byte) int {
	if p := checkDepth(data); p != nil {
		return p.line
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
