package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// uncertainKey is the top-level table of a scenario file that maps key
// paths (the paths of --set) to the distributions of their values, for
// escalate explore:
//
//	[uncertain]
//	"country.guinea.volatility" = { uniform = [0.03, 0.09] }
//	"intervention.unowa.startup_delay_months" = { integer = [0, 6] }
//
// Other commands ignore it: a scenario is run at the values its keys hold.
const uncertainKey = "uncertain"

// Distribution is the distribution of an uncertain value. Each kind maps a
// number u in [0, 1) to a value through its quantile function, so a design
// over the unit cube becomes a design over the parameters.
type Distribution struct {
	// Kind is one of DistributionKinds.
	Kind string
	// Params are the kind's numbers, as written (see DistributionKinds).
	Params []float64
	// Values are the choices of a "choice" distribution.
	Values []any
}

// DistributionKinds lists the kinds and the numbers each takes.
var DistributionKinds = []struct{ Kind, Form, Doc string }{
	{"uniform", "[lo, hi]", "uniform between lo and hi"},
	{"triangular", "[lo, mode, hi]", "triangular with its peak at mode"},
	{"normal", "[mean, sd, lo, hi]", "normal with that mean and standard deviation, truncated to [lo, hi]"},
	{"beta", "[alpha, beta, lo, hi]", "beta(alpha, beta) scaled from [0, 1] to [lo, hi]"},
	{"loguniform", "[lo, hi]", "uniform in log between lo > 0 and hi"},
	{"integer", "[lo, hi]", "each integer from lo to hi (inclusive) equally likely"},
	{"choice", "[v1, v2, ...]", "each listed value (numbers or strings) equally likely"},
}

func distArity(kind string) int {
	switch kind {
	case "uniform", "loguniform", "integer":
		return 2
	case "triangular":
		return 3
	case "normal", "beta":
		return 4
	}
	return -1
}

// Uncertain is one uncertain key: its path and its distribution.
type Uncertain struct {
	Path []string
	Dist Distribution
	// Origin names where it came from, for messages: "[uncertain]" or
	// "--uncertain ...".
	Origin string
	source []string // the key path of a file's [uncertain] entry, for its line
}

// Key returns the dotted key path.
func (u Uncertain) Key() string { return strings.Join(u.Path, ".") }

// Value returns the value at quantile q in [0, 1): a float64, an int64 for
// integer distributions, or one of a choice's values.
func (d Distribution) Value(q float64) any {
	q = min(max(q, 0), math.Nextafter(1, 0))
	p := d.Params
	switch d.Kind {
	case "uniform":
		return p[0] + q*(p[1]-p[0])
	case "triangular":
		return triangle(p[0], p[1], p[2], q)
	case "normal":
		n := distuv.Normal{Mu: p[0], Sigma: p[1]}
		a, b := n.CDF(p[2]), n.CDF(p[3])
		x := n.Quantile(a + q*(b-a))
		if math.IsNaN(x) || math.IsInf(x, 0) {
			// Deep in a tail the CDF rounds to 0 or 1: the truncation
			// limit is then the value.
			if q < 0.5 {
				return p[2]
			}
			return p[3]
		}
		return min(max(x, p[2]), p[3])
	case "beta":
		x := distuv.Beta{Alpha: p[0], Beta: p[1]}.Quantile(q)
		return p[2] + x*(p[3]-p[2])
	case "loguniform":
		return math.Exp(math.Log(p[0]) + q*(math.Log(p[1])-math.Log(p[0])))
	case "integer":
		lo, hi := int64(p[0]), int64(p[1])
		return min(lo+int64(q*float64(hi-lo+1)), hi)
	case "choice":
		return d.Values[min(int(q*float64(len(d.Values))), len(d.Values)-1)]
	}
	panic("scenarios: unknown distribution " + d.Kind)
}

// triangle is the quantile of the triangular distribution on [lo, hi]
// with peak mode (distuv.Triangle's, without its need for a source).
func triangle(lo, mode, hi, q float64) float64 {
	c := (mode - lo) / (hi - lo)
	if q < c {
		return lo + math.Sqrt(q*(hi-lo)*(mode-lo))
	}
	return hi - math.Sqrt((1-q)*(hi-lo)*(hi-mode))
}

// support returns the values at the ends of the distribution's support
// (every value, for a choice): a value inside lies between them, so a key
// that accepts them accepts every value drawn.
func (d Distribution) support() []any {
	switch d.Kind {
	case "choice":
		return d.Values
	case "integer":
		return []any{int64(d.Params[0]), int64(d.Params[1])}
	case "normal", "beta":
		return []any{d.Params[2], d.Params[3]}
	case "triangular":
		return []any{d.Params[0], d.Params[2]}
	}
	return []any{d.Params[0], d.Params[1]}
}

// String writes the distribution as in a file: "uniform = [0.03, 0.09]".
func (d Distribution) String() string {
	var parts []string
	if d.Kind == "choice" {
		for _, v := range d.Values {
			parts = append(parts, FormatValue(v))
		}
	} else {
		for _, x := range d.Params {
			if d.Kind == "integer" {
				parts = append(parts, strconv.FormatInt(int64(x), 10))
				continue
			}
			parts = append(parts, strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	return fmt.Sprintf("%s = [%s]", d.Kind, strings.Join(parts, ", "))
}

// MarshalJSON writes the distribution as its one-key table:
// {"uniform": [0.03, 0.09]}.
func (d Distribution) MarshalJSON() ([]byte, error) {
	if d.Kind == "choice" {
		return json.Marshal(map[string]any{d.Kind: d.Values})
	}
	if d.Kind == "integer" {
		return json.Marshal(map[string]any{d.Kind: []int64{int64(d.Params[0]), int64(d.Params[1])}})
	}
	return json.Marshal(map[string]any{d.Kind: d.Params})
}

// FormatValue writes a TOML value as --set reads it back exactly: floats
// with the shortest representation that round-trips.
func FormatValue(v any) string {
	switch t := v.(type) {
	case float64:
		s := strconv.FormatFloat(t, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") { // 2 would read back as an integer
			s += ".0"
		}
		return s
	case int64:
		return strconv.FormatInt(t, 10)
	case string:
		return strconv.Quote(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return fmt.Sprint(v)
}

// Override returns the override that sets the key to value, as
// `--set PATH=VALUE` with that value does.
func (u Uncertain) Override(value any) Override {
	return Override{Path: slices.Clone(u.Path), Value: value, Origin: "--set " + shorten(u.Key()+"="+FormatValue(value))}
}

// parseDistribution reads a distribution table { kind = [...] }.
func parseDistribution(x any) (Distribution, error) {
	m, ok := x.(map[string]any)
	if !ok || len(m) != 1 {
		return Distribution{}, fmt.Errorf("must be a table with one distribution, like { uniform = [0.03, 0.09] }, got %s%s", typeName(x), kindsHint())
	}
	var d Distribution
	var raw any
	for k, v := range m {
		d.Kind, raw = k, v
	}
	arr, isArr := raw.([]any)
	if distArity(d.Kind) < 0 && d.Kind != "choice" {
		msg := fmt.Sprintf("unknown distribution %q", d.Kind)
		names := make([]string, len(DistributionKinds))
		for i, k := range DistributionKinds {
			names[i] = k.Kind
		}
		if s := Suggest(d.Kind, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return d, fmt.Errorf("%s%s", msg, kindsHint())
	}
	if !isArr {
		return d, fmt.Errorf("%s takes an array %s, got %s", d.Kind, formOf(d.Kind), typeName(raw))
	}
	if d.Kind == "choice" {
		if len(arr) == 0 {
			return d, fmt.Errorf("choice needs at least one value")
		}
		for i, v := range arr {
			switch t := v.(type) {
			case int64, string, bool:
			case float64:
				if math.IsNaN(t) || math.IsInf(t, 0) {
					return d, fmt.Errorf("choice value %d must be a finite number, got %v", i+1, t)
				}
			default:
				return d, fmt.Errorf("choice value %d must be a number or a string, got %s", i+1, typeName(v))
			}
		}
		d.Values = arr
		return d, nil
	}
	if len(arr) != distArity(d.Kind) {
		return d, fmt.Errorf("%s takes %d numbers %s, got %d", d.Kind, distArity(d.Kind), formOf(d.Kind), len(arr))
	}
	for i, v := range arr {
		var n float64
		switch t := v.(type) {
		case int64:
			n = float64(t)
		case float64:
			n = t
		default:
			return d, fmt.Errorf("%s: number %d must be a number, got %s", d.Kind, i+1, typeName(v))
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return d, fmt.Errorf("%s: number %d must be finite, got %v", d.Kind, i+1, n)
		}
		if d.Kind == "integer" {
			if _, isInt := v.(int64); !isInt {
				return d, fmt.Errorf("integer takes two integers [lo, hi], got %v", n)
			}
		}
		d.Params = append(d.Params, n)
	}
	p := d.Params
	switch d.Kind {
	case "uniform", "integer":
		if p[0] >= p[1] {
			return d, fmt.Errorf("%s [lo, hi] needs lo < hi, got [%s, %s]", d.Kind, fmtNum(p[0]), fmtNum(p[1]))
		}
	case "loguniform":
		if p[0] <= 0 || p[0] >= p[1] {
			return d, fmt.Errorf("loguniform [lo, hi] needs 0 < lo < hi, got [%s, %s]", fmtNum(p[0]), fmtNum(p[1]))
		}
	case "triangular":
		if !(p[0] <= p[1] && p[1] <= p[2] && p[0] < p[2]) {
			return d, fmt.Errorf("triangular [lo, mode, hi] needs lo <= mode <= hi and lo < hi, got [%s, %s, %s]", fmtNum(p[0]), fmtNum(p[1]), fmtNum(p[2]))
		}
	case "normal":
		if p[1] <= 0 || p[2] >= p[3] {
			return d, fmt.Errorf("normal [mean, sd, lo, hi] needs sd > 0 and lo < hi, got sd %s and [%s, %s]", fmtNum(p[1]), fmtNum(p[2]), fmtNum(p[3]))
		}
	case "beta":
		if p[0] <= 0 || p[1] <= 0 || p[2] >= p[3] {
			return d, fmt.Errorf("beta [alpha, beta, lo, hi] needs alpha > 0, beta > 0 and lo < hi, got [%s, %s, %s, %s]", fmtNum(p[0]), fmtNum(p[1]), fmtNum(p[2]), fmtNum(p[3]))
		}
	}
	return d, nil
}

func formOf(kind string) string {
	for _, k := range DistributionKinds {
		if k.Kind == kind {
			return k.Form
		}
	}
	return ""
}

func kindsHint() string {
	var parts []string
	for _, k := range DistributionKinds {
		parts = append(parts, k.Kind+" = "+k.Form)
	}
	return " (distributions: " + strings.Join(parts, ", ") + ")"
}

// ParseUncertain parses `--uncertain PATH=DIST`, where DIST is a TOML
// distribution table, with or without its braces, or KIND:A:B... without
// characters a shell would expand:
// country.guinea.volatility={ uniform = [0.03, 0.09] },
// country.guinea.volatility=uniform=[0.03,0.09] or
// country.guinea.volatility=uniform:0.03:0.09. The path's existence and
// range are checked against a scenario by File.CheckUncertain.
func ParseUncertain(s string) (Uncertain, error) {
	u := Uncertain{Origin: "--uncertain " + shorten(s)}
	path, raw, ok := strings.Cut(s, "=")
	path, raw = strings.TrimSpace(path), strings.TrimSpace(raw)
	if !ok || path == "" || raw == "" {
		return u, fmt.Errorf("--uncertain %q: want PATH=DIST, e.g. --uncertain 'country.guinea.volatility=uniform=[0.03, 0.09]'", shorten(s))
	}
	var err error
	if u.Path, err = ParsePath(path); err != nil {
		return u, fmt.Errorf("--uncertain %q: %w", shorten(s), err)
	}
	if kind, rest, ok := strings.Cut(raw, ":"); ok && !strings.ContainsAny(kind, "={[") {
		// The shell-safe form KIND:A:B..., as sweep's FROM:TO:STEP:
		// uniform:0.03:0.09, choice:mediation:monitoring.
		parts := strings.Split(rest, ":")
		for i, p := range parts {
			p = strings.TrimSpace(p)
			if v, isStr := parseValue(p).(string); isStr && v == p {
				p = strconv.Quote(p) // a bare word is a string, as --set reads it
			}
			parts[i] = p
		}
		raw = kind + " = [" + strings.Join(parts, ", ") + "]"
	}
	if !strings.HasPrefix(raw, "{") {
		raw = "{ " + raw + " }"
	}
	if nestingLine([]byte(raw)) > 0 {
		return u, fmt.Errorf("--uncertain %q: too deeply nested", shorten(s))
	}
	var m map[string]any
	if _, err := decodeTOML([]byte("v = "+raw), &m); err != nil {
		return u, fmt.Errorf("--uncertain %q: not a distribution like uniform=[0.03, 0.09]: %v", shorten(s), strings.TrimPrefix(err.Error(), "toml: "))
	}
	if u.Dist, err = parseDistribution(m["v"]); err != nil {
		return u, fmt.Errorf("--uncertain %q: %w", shorten(s), err)
	}
	return u, nil
}

// Uncertain returns the file's [uncertain] keys in file order.
func (f *File) Uncertain() []Uncertain { return slices.Clone(f.uncertain) }

// WithUncertain returns the file's uncertain keys with extra ones (from
// --uncertain) added, or replacing the file's entry for the same path;
// each extra one is checked as CheckUncertain does.
func (f *File) WithUncertain(extra ...Uncertain) ([]Uncertain, error) {
	out := f.Uncertain()
	var errs Errors
	for _, u := range extra {
		if err := f.CheckUncertain(u); err != nil {
			errs = append(errs, AsErrors(err)...)
			continue
		}
		if i := slices.IndexFunc(out, func(o Uncertain) bool { return o.Key() == u.Key() }); i >= 0 {
			out[i] = u
		} else {
			out = append(out, u)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// CheckUncertain checks that u's path is a key of the file that holds a
// number, integer or string as its distribution gives, and that every
// value it can draw is one the key accepts: the ends of its support (each
// value of a choice) are decoded as an override of the key, so they meet
// the same checks, with the same messages, as any value of that key.
func (f *File) CheckUncertain(u Uncertain) error {
	key := u.Key()
	fail := func(msg string) error {
		e := &Error{File: f.Path, Key: key, Msg: msg, Origin: u.Origin}
		if u.source != nil {
			e.Line, e.Origin = f.line(u.source), ""
			e.Key = uncertainKey + "." + strconv.Quote(key)
		}
		return Errors{e}
	}
	r, err := f.resolve(u.Path)
	if err != nil {
		return fail(err.Error())
	}
	numeric := u.Dist.Kind != "choice"
	switch r.field.kind {
	case kFloat, kStageMap, kWeightMap, kMonthMap:
		if r.field.kind != kFloat && r.sub == "" {
			return fail(fmt.Sprintf("is a %s: name one entry, e.g. %s.%s", r.field.kind, key, exampleSub(r.field.kind)))
		}
	case kInt:
		if numeric && u.Dist.Kind != "integer" {
			return fail(fmt.Sprintf("is an integer key: give an integer or choice distribution, not %s", u.Dist.Kind))
		}
	case kString, kEnum:
		if numeric {
			return fail(fmt.Sprintf("is a string key: give a choice distribution, not %s", u.Dist.Kind))
		}
	default:
		return fail(fmt.Sprintf("is a %s and cannot be uncertain", r.field.kind))
	}
	for _, v := range u.Dist.support() {
		ov := Override{Path: u.Path, Value: v, Origin: u.Origin, source: u.source}
		if u.source != nil {
			ov.Origin = "[" + uncertainKey + "]"
		}
		if _, err := f.decode([]Override{ov}, nil, false); err != nil {
			return err
		}
	}
	return nil
}

func exampleSub(k kind) string {
	if k == kStageMap {
		return "war"
	}
	if k == kMonthMap {
		return "MONTH"
	}
	return "NEIGHBOUR"
}

// withoutUncertain returns the tree without its [uncertain] table, which
// the scenario decoder does not know: the tree itself when it has none.
func withoutUncertain(tree map[string]any) map[string]any {
	if _, ok := tree[uncertainKey]; !ok {
		return tree
	}
	out := make(map[string]any, len(tree)-1)
	for k, v := range tree {
		if k != uncertainKey {
			out[k] = v
		}
	}
	return out
}

// decodeUncertain reads and checks the file's [uncertain] table into
// f.uncertain, returning its problems.
func (f *File) decodeUncertain() Errors {
	x, ok := f.tree[uncertainKey]
	if !ok {
		return nil
	}
	var errs Errors
	m, isMap := x.(map[string]any)
	if !isMap {
		return Errors{{File: f.Path, Line: f.line([]string{uncertainKey}), Key: uncertainKey,
			Msg: fmt.Sprintf("must be a table of key paths, like [uncertain] \"country.guinea.volatility\" = { uniform = [0.03, 0.09] }, got %s", typeName(x))}}
	}
	f.uncertain = nil
	for _, k := range f.keysOf([]string{uncertainKey}, m) {
		src := []string{uncertainKey, k}
		at := func(msg string) *Error {
			return &Error{File: f.Path, Line: f.line(src), Key: uncertainKey + "." + strconv.Quote(k), Msg: msg}
		}
		path, err := ParsePath(k)
		if err != nil {
			errs = append(errs, at(err.Error()))
			continue
		}
		d, err := parseDistribution(m[k])
		if err != nil {
			errs = append(errs, at(err.Error()))
			continue
		}
		u := Uncertain{Path: path, Dist: d, Origin: "[" + uncertainKey + "]", source: src}
		if err := f.CheckUncertain(u); err != nil {
			errs = append(errs, AsErrors(err)...)
			continue
		}
		f.uncertain = append(f.uncertain, u)
	}
	return errs
}

// uncertainSchema is the JSON Schema of the [uncertain] table: quoted key
// paths, each to a table of one distribution. Whether a path names a key
// of the file, and the key's range, only the loader checks.
func uncertainSchema() map[string]any {
	// Each kind takes an array (of numbers, integers, or any scalar for a
	// choice); its length and order the loader checks, with a message.
	kinds := map[string]any{}
	for _, k := range DistributionKinds {
		items := map[string]any{"type": "number"}
		switch k.Kind {
		case "choice":
			items = map[string]any{}
		case "integer":
			items = map[string]any{"type": "integer"}
		}
		kinds[k.Kind] = map[string]any{"type": "array", "items": items, "description": k.Form + ": " + k.Doc}
	}
	return map[string]any{
		"type":          "object",
		"description":   "For escalate explore: key paths (as for --set) mapped to the distribution of their value; other commands ignore it.",
		"propertyNames": map[string]any{"pattern": `^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$`},
		"additionalProperties": map[string]any{
			"type": "object", "minProperties": 1, "maxProperties": 1,
			"properties": kinds, "additionalProperties": false,
		},
	}
}
