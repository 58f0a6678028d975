package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/escalate-sim/escalate/sim"
)

// Override sets one key of a scenario, as a strategy's set table does and
// as a front end's settings do.
type Override struct {
	Path  []string // e.g. ["intervention", "unowa", "staff"]
	Value any      // a TOML value: int64, float64, string, bool, []any or map[string]any
	// Origin names where the override came from, for error messages
	// ("(set by ORIGIN)"); it must not be empty.
	Origin string
	// source is the key path of a strategy's set entry, whose line errors
	// about this value report.
	source []string
}

func (o Override) key() string { return strings.Join(o.Path, ".") }

// ParseSetting parses "PATH=VALUE". The value is read as a TOML value
// (30, 0.5, "text", [1, 2], { war = 0.1 }); anything that is not one is
// taken as a bare string, so model.dynamics=markov works unquoted. The
// path's existence is checked against a scenario when it is applied.
// Errors quote the text and speak of keys and values only; the Origin is
// the text itself: a front end prefixes both with where the text came from
// (a flag, a form field).
func ParseSetting(s string) (Override, error) {
	o := Override{Origin: shorten(s)}
	if !utf8.ValidString(s) {
		// As in files: text that is not UTF-8 could not be written back.
		return o, fmt.Errorf("%q: not valid UTF-8 text", s)
	}
	path, raw, ok := strings.Cut(s, "=")
	path, raw = strings.TrimSpace(path), strings.TrimSpace(raw)
	if !ok || path == "" {
		return o, fmt.Errorf("%q: want PATH=VALUE, e.g. intervention.unowa.staff=30", s)
	}
	var err error
	if o.Path, err = ParsePath(path); err != nil {
		return o, fmt.Errorf("%q: %w", s, err)
	}
	if raw == "" {
		return o, fmt.Errorf("%q: missing value after '='", s)
	}
	if _, err := strconv.ParseFloat(raw, 64); errors.Is(err, strconv.ErrRange) {
		// Else it would be read as the string "1e400" and the key would
		// say it wants a number.
		return o, fmt.Errorf("%q: %s is out of the range of numbers", s, raw)
	}
	if _, err := strconv.ParseInt(raw, 10, 64); errors.Is(err, strconv.ErrRange) {
		// TOML integers are 64-bit: 99999999999999999999 is no integer
		// (nor any value of the format).
		return o, fmt.Errorf("%q: %s is out of the range of integers (at most 9223372036854775807)", s, raw)
	}
	o.Value = parseValue(raw)
	return o, nil
}

// ParseOverride is [ParseSetting] for the command line's --set flag: its
// errors and Origin start with "--set ".
//
// Deprecated: the command line's wording belongs to the command line:
// call ParseSetting and prefix the error and the Origin there (for --set
// or --vary). Kept until cmd/escalate does.
func ParseOverride(s string) (Override, error) {
	o, err := ParseSetting(s)
	o.Origin = "--set " + o.Origin
	if err != nil {
		return o, fmt.Errorf("--set %w", err)
	}
	return o, nil
}

// ParsePath splits a dotted key path and checks each part's characters.
func ParsePath(path string) ([]string, error) {
	parts := strings.Split(path, ".")
	for _, p := range parts {
		if !idPattern.MatchString(p) {
			return nil, fmt.Errorf("key path %q: each part must be ASCII letters, digits, _ or -", path)
		}
	}
	return parts, nil
}

// parseValue reads a TOML value, or returns raw as a string.
func parseValue(raw string) any {
	if nestingLine([]byte(raw)) > 0 {
		return raw // too deep to be a value of the format: a string, which the key then refuses
	}
	var m map[string]any
	if _, err := decodeTOML([]byte("v = "+raw), &m); err == nil {
		if v, ok := m["v"]; ok {
			return v
		}
	}
	return raw
}

// checkPath reports whether path names a key this file's schema accepts,
// through entities that exist in the file: "intervention.unowa.staff" needs
// an intervention unowa. Strategies cannot be overridden.
func (f *File) checkPath(path []string) error {
	_, err := f.resolve(path)
	return err
}

// resolvedPath is a key path resolved against the schema and the file.
type resolvedPath struct {
	spec  *table      // the table that holds the key
	field *field      // the key
	sub   string      // the stage or country after a map key ("war" in effect.war), or ""
	owner [][2]string // the named entities passed through: {"intervention", "unowa"}, {"shock", "army"}
}

// resolve walks path through the schema and the file's entities, as
// checkPath describes.
func (f *File) resolve(path []string) (resolvedPath, error) {
	var r resolvedPath
	spec := topTable
	node := f.tree
	for i := 0; i < len(path); i++ {
		k := path[i]
		if fd := spec.field(k); fd != nil {
			r.spec, r.field = spec, fd
			rest := path[i+1:]
			switch {
			case len(rest) == 0:
				return r, nil
			case len(rest) == 1 && fd.kind == kStageMap:
				if _, err := sim.ParseStage(rest[0]); err != nil {
					return r, err // the caller names the path
				}
				r.sub = rest[0]
				return r, nil
			case len(rest) == 1 && fd.kind == kMonthMap:
				if month, err := strconv.Atoi(rest[0]); err != nil || month < 1 || strconv.Itoa(month) != rest[0] {
					return r, fmt.Errorf("%q is not a month: the months of %s are whole numbers from 1, without sign or leading zeros", rest[0], fd.key)
				}
				r.sub = rest[0]
				return r, nil
			case len(rest) == 1 && fd.kind == kWeightMap:
				if countries, _ := f.tree["country"].(map[string]any); countries[rest[0]] == nil {
					return r, fmt.Errorf("no country %q in this scenario", rest[0])
				}
				r.sub = rest[0]
				return r, nil
			}
			return r, fmt.Errorf("%s is a %s and has no key %q", strings.Join(path[:i+1], "."), fd.kind, rest[0])
		}
		sub := spec.entities[k]
		if sub == nil {
			msg := fmt.Sprintf("unknown key %q", strings.Join(path[:i+1], "."))
			if s := Suggest(k, spec.keys()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", strings.Join(append(slices.Clone(path[:i]), s), "."))
			}
			return r, fmt.Errorf("%s", msg)
		}
		if sub == strategyTable {
			return r, fmt.Errorf("strategies cannot be overridden: choose a strategy by its ID instead")
		}
		child, _ := node[k].(map[string]any)
		if singleTables[sub] {
			spec, node = sub, child
			continue
		}
		if i+1 >= len(path) {
			return r, fmt.Errorf("name a key inside it, e.g. %s.ID.KEY", k)
		}
		id := path[i+1]
		if _, ok := child[id]; !ok {
			var have []string
			for n := range child {
				have = append(have, n)
			}
			slices.Sort(have)
			if len(have) == 0 {
				return r, fmt.Errorf("no %s %q in this scenario", k, id)
			}
			return r, fmt.Errorf("no %s %q in this scenario (have: %s)", k, id, strings.Join(have, ", "))
		}
		r.owner = append(r.owner, [2]string{k, id})
		spec, node = sub, nil
		if m, ok := child[id].(map[string]any); ok {
			node = m
		}
		i++
		if i+1 >= len(path) {
			return r, errors.New("name a key inside it")
		}
	}
	return r, errors.New("name a key inside it")
}

// setPath sets tree[path...] = value, creating tables on the way.
func setPath(tree map[string]any, path []string, value any) {
	m := tree
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = value
}

// line returns the line on which path (or the first key inside it, or its
// nearest ancestor present in the file) is defined, or 0.
func (f *File) line(path []string) int {
	if f.pos == nil {
		f.pos = newPositions(f.Data)
	}
	return f.pos.line(path)
}
