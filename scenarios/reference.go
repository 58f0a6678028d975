package scenarios

import (
	"fmt"
	"math"
	"strings"
)

// Reference returns the scenario format reference in Markdown: every key,
// its type, unit, range, default and meaning, generated from the schema the
// loader enforces, so the documentation cannot drift from the code.
func Reference() string {
	var b strings.Builder
	for _, t := range allTables {
		title := "[" + t.path + "]"
		if t.path == "" {
			title = "Top level"
		}
		fmt.Fprintf(&b, "#### %s\n\n%s", title, t.doc)
		switch t.only {
		case tensionOnly:
			b.WriteString(" Tension dynamics only.")
		case markovOnly:
			b.WriteString(" Markov dynamics only.")
		}
		b.WriteString("\n\n| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n")
		for _, f := range t.fields {
			def := f.defaultText()
			if f.required {
				def = "required"
				if f.only != anyDynamics {
					def += " (" + onlyName(f.only) + ")"
				}
			} else if def == "" {
				def = "none"
			}
			doc := f.doc
			if f.only != anyDynamics && !f.required {
				doc += " (" + onlyName(f.only) + " dynamics only)"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", f.key, f.kind, dash(f.unit), rangeText(&f), def, doc)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func rangeText(f *field) string {
	switch f.kind {
	case kEnum:
		return strings.ReplaceAll(quoteAll(f.enum), ", ", " \\| ")
	case kInt:
		if f.max == math.MaxInt64 {
			return "≥ " + fmtInt(f.min)
		}
		return fmt.Sprintf("%s … %s", fmtInt(f.min), fmtInt(f.max))
	case kFloat, kStageMap, kWeightMap, kMonthMap:
		return fmt.Sprintf("%s … %s", fmtNum(f.min), fmtNum(f.max))
	}
	return "–"
}

// defaultText documents the key's default: its value, as TOML writes it,
// or the description of one that depends on the rest of the file.
func (f *field) defaultText() string {
	switch v := f.value.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return f.def
	default:
		return fmt.Sprint(v)
	}
}
