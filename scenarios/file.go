package scenarios

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/escalate-sim/escalate/sim"
)

// MaxFileSize bounds a scenario file: real ones are a few kilobytes, and
// the TOML parser holds the whole file in memory.
const MaxFileSize = 1 << 20

// File is a parsed scenario file. Its base scenario and every strategy have
// been decoded and validated once by Parse; Scenario and Strategy decode
// again with overrides applied.
type File struct {
	// Name is the scenario's short name: the shipped name, or the file name
	// without its directory and .toml extension.
	Name string
	// Path is the file as the user named it, used in error messages.
	Path string
	// Data is the file's content.
	Data []byte
	// Strategies are the file's [strategy.NAME] tables in file order.
	Strategies []Strategy

	tree  map[string]any
	order map[string][]string // key path → child keys in file order
	pos   *positions          // where keys are defined, made on first error
	// uncertain is the [uncertain] table (uncertain.go), checked by Parse.
	uncertain []Uncertain
}

// Strategy is a [strategy.NAME] table: a named set of overrides.
type Strategy struct {
	ID          string
	Name        string
	Description string
	// Disable lists intervention ids switched off; "*" means all.
	Disable []string
	Set     []Override
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Parse parses and validates a scenario file. path is used in messages and
// to name the scenario; data is its content.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Name: nameOf(path), Path: path, Data: data}
	if len(data) > MaxFileSize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is %d bytes, more than the limit of %d", len(data), MaxFileSize)}}
	}
	if !utf8.Valid(data) {
		return nil, Errors{{File: path, Msg: "file is not valid UTF-8 text"}}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, Errors{{File: path, Msg: "file is empty: a scenario needs at least horizon_months and a [country.ID] table"}}
	}
	if p := checkDepth(data); p != nil {
		// Before the parser, whose time grows faster than the depth.
		return nil, Errors{{File: path, Line: p.line, Key: p.key, Msg: p.msg}}
	}
	// A multi-line string keeps the file's line ends, and Windows editors
	// and git's autocrlf write CRLF: decode with LF, so that one scenario
	// has one content (and SHA-256) whatever its line ends. Lines stay
	// where they were.
	text := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	md, err := decodeTOML(text, &f.tree)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The error's offsets are into text, not data.
			return nil, Errors{{File: path, Line: syntaxLine(text, pe), Msg: syntaxMessage(pe)}}
		}
		return nil, Errors{{File: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}}
	}
	if len(f.tree) == 0 {
		return nil, Errors{{File: path, Msg: "file has no keys: a scenario needs at least horizon_months and a [country.ID] table"}}
	}
	for _, k := range md.Keys() {
		if len(k) > maxKeyDepth {
			// checkDepth sees every key the format can write; this
			// guards the walks below (which cost depth² or more) should
			// the parser ever build deeper keys than the text shows.
			return nil, Errors{{File: path, Key: strings.Join(k[:4], ".") + "...",
				Msg: fmt.Sprintf("keys nest more than %d levels deep; a scenario's keys nest at most 5 (as in country.ID.shock.NAME.rate_per_year)", maxKeyDepth)}}
		}
	}
	f.order = make(map[string][]string)
	seen := map[[2]string]bool{} // (parent, child) pairs in f.order: a set, not a scan, for files with many keys
	add := func(parent, child string) {
		if !seen[[2]string{parent, child}] {
			seen[[2]string{parent, child}] = true
			f.order[parent] = append(f.order[parent], child)
		}
	}
	for _, k := range md.Keys() {
		for i := 1; i < len(k); i++ {
			add(strings.Join(k[:i], "."), k[i])
		}
		if len(k) > 0 {
			add("", k[0])
		}
	}
	_, err = f.decode(nil, nil, true)
	errs := AsErrors(err)
	if err != nil && len(errs) == 0 {
		return nil, err
	}
	// Every strategy must give a valid scenario too, so that validate
	// catches a bad value in a strategy's set table, not a later run,
	// and in the same pass as the file's own problems: a strategy's
	// decode then repeats those, which are left out (they have no
	// origin in a set table).
	baseErrs := len(errs)
	reported := map[string]bool{}
	for i := range f.Strategies {
		st := &f.Strategies[i]
		_, err := f.decodeStrategy(st)
		es := AsErrors(err)
		if err != nil && len(es) == 0 {
			return nil, err
		}
		for _, e := range es {
			if e.Origin == "" && baseErrs > 0 {
				continue
			}
			// Two strategies that set the same bad value make one error.
			if !reported[e.Error()] {
				reported[e.Error()] = true
				errs = append(errs, e)
			}
		}
	}
	if len(errs) == 0 {
		errs = f.decodeUncertain() // each check decodes the file: only a valid one
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int {
			return cmp.Compare(lineKey(a.Line), lineKey(b.Line))
		})
		if len(errs) > maxErrors {
			errs = errs[:maxErrors]
		}
		return nil, errs
	}
	return f, nil
}

// decodeTOML parses data, turning any panic inside the TOML library into an
// error: a scenario file must never crash the program.
func decodeTOML(data []byte, v any) (md toml.MetaData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse TOML: %v", r)
		}
	}()
	return toml.Decode(string(data), v)
}

// syntaxLine returns the line of a syntax error. The library counts an
// unexpected newline as part of the next line; the byte offset it also
// reports places it on the line the user must fix.
func syntaxLine(data []byte, pe toml.ParseError) int {
	if s := pe.Position.Start; s > 0 && s < len(data) {
		return 1 + bytes.Count(data[:s], []byte("\n"))
	}
	return pe.Position.Line
}

func syntaxMessage(pe toml.ParseError) string {
	msg := pe.Message
	if pe.LastKey != "" {
		msg = fmt.Sprintf("%s (after key %q)", msg, pe.LastKey)
	}
	return "TOML syntax: " + msg
}

func nameOf(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".toml")
}

// Scenario returns the file's scenario with the overrides applied in order.
func (f *File) Scenario(overrides ...Override) (*sim.Scenario, error) {
	return f.decode(overrides, nil, false)
}

// Strategy returns the scenario for the strategy with the given id, with
// further overrides applied after the strategy's own.
func (f *File) Strategy(id string, overrides ...Override) (*sim.Scenario, error) {
	for i := range f.Strategies {
		st := &f.Strategies[i]
		if st.ID == id {
			return f.decodeStrategy(st, overrides...)
		}
	}
	var ids []string
	for _, st := range f.Strategies {
		ids = append(ids, st.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no strategy %q: the scenario defines no [strategy.NAME] tables", f.Path, id)
	}
	msg := fmt.Sprintf("%s: no strategy %q", f.Path, id)
	if s := Suggest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, fmt.Errorf("%s (strategies: %s)", msg, strings.Join(ids, ", "))
}

// decodeStrategy decodes the file with strategy st (and then overrides)
// applied. An error that no single value of the strategy caused (a
// threshold its value puts out of order with the file's) says which
// strategy it arises with, since the line it names is the file's.
func (f *File) decodeStrategy(st *Strategy, overrides ...Override) (*sim.Scenario, error) {
	sc, err := f.decode(append(slices.Clone(st.Set), overrides...), st.Disable, false)
	for _, e := range AsErrors(err) {
		if e.Origin == "" {
			e.Msg += fmt.Sprintf(" (with strategy %s)", st.ID)
		}
	}
	return sc, err
}

func (f *File) decode(overrides []Override, disable []string, withStrategies bool) (*sim.Scenario, error) {
	return f.decodeWith(&decoder{withStrategies: withStrategies}, overrides, disable)
}

// decodeWith decodes with d's options.
func (f *File) decodeWith(d *decoder, overrides []Override, disable []string) (*sim.Scenario, error) {
	tree := withoutUncertain(f.tree) // read by decodeUncertain, not the decoder
	origins := map[string]Override{}
	if len(overrides) > 0 {
		tree = deepCopy(tree).(map[string]any)
		for _, ov := range overrides {
			if err := f.checkPath(ov.Path); err != nil {
				return nil, Errors{{File: f.Path, Key: ov.key(), Msg: err.Error(), Origin: ov.Origin}}
			}
			setPath(tree, ov.Path, ov.Value)
			origins[ov.key()] = ov
		}
	}
	d.f, d.tree, d.origins = f, tree, origins
	sc := d.scenario()
	if len(d.errs) == 0 {
		sc.Interventions = slices.DeleteFunc(sc.Interventions, func(iv sim.Intervention) bool {
			return slices.Contains(disable, "*") || slices.Contains(disable, iv.ID)
		})
		if err := sc.Validate(); err != nil {
			var fe *sim.FieldError
			if errors.As(err, &fe) {
				d.fail(strings.Split(fe.Path, "."), "%s", fe.Msg)
			} else {
				d.fail(nil, "%v", err)
			}
		}
	}
	if len(d.errs) > 0 {
		// In file order, as a user fixes them; errors without a line
		// (from overrides outside the file) last.
		slices.SortStableFunc(d.errs, func(a, b *Error) int {
			return cmp.Compare(lineKey(a.Line), lineKey(b.Line))
		})
		return nil, d.errs
	}
	return sc, nil
}

func lineKey(line int) int {
	if line == 0 {
		return math.MaxInt
	}
	return line
}

// decoder turns the generic TOML tree into a sim.Scenario, collecting
// errors with their key paths.
type decoder struct {
	f        *File
	tree     map[string]any
	origins  map[string]Override // key path → override that set it
	errs     Errors
	dynamics sim.Dynamics
	ids      map[string]int // country id → index
	// withStrategies decodes the [strategy.NAME] tables into f.Strategies.
	withStrategies bool
	// read records the keys the decoder asked for, for a test that every
	// key of the table is decoded; nil when not recording.
	read map[*field]bool
	// unranged skips the key table's range checks, so that a test can
	// compare them with sim.Validate's.
	unranged bool
	// bad holds the key paths already reported: checks that relate
	// several keys skip those, whose values are fallbacks, not the file's.
	bad map[string]bool
}

// good reports whether no problem has been reported at any of the key
// paths or inside them.
func (d *decoder) good(paths ...string) bool {
	for b := range d.bad {
		for _, p := range paths {
			if b == p || strings.HasPrefix(b, p+".") {
				return false
			}
		}
	}
	return true
}

func (d *decoder) fail(path []string, format string, args ...any) {
	key := strings.Join(path, ".")
	if d.bad == nil {
		d.bad = map[string]bool{}
	}
	d.bad[key] = true
	if len(d.errs) >= maxErrors {
		return
	}
	e := &Error{File: d.f.Path, Key: key, Msg: fmt.Sprintf(format, args...)}
	for p := path; len(p) > 0; p = p[:len(p)-1] {
		if o, ok := d.origins[strings.Join(p, ".")]; ok {
			// A value from outside the file has no line; one from a strategy's set
			// table has the line of its entry there.
			e.Origin = o.Origin
			if o.source != nil {
				e.Line = d.f.line(o.source)
			}
			break
		}
	}
	if e.Origin == "" {
		e.Line = d.f.line(path)
	}
	d.errs = append(d.errs, e)
}

// view is one table of the tree being decoded against its schema.
type view struct {
	d    *decoder
	path []string
	spec *table
	m    map[string]any
}

// view checks that v is a table with only the keys spec accepts, each
// allowed under the scenario's dynamics.
func (d *decoder) view(path []string, v any, spec *table) *view {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(path, "must be a table, got %s", typeName(v))
		m = map[string]any{}
	}
	vw := &view{d: d, path: path, spec: spec, m: m}
	for _, k := range d.f.keysOf(path, m) {
		f := spec.field(k)
		if f == nil && spec.entities[k] == nil {
			msg := fmt.Sprintf("unknown key %q", k)
			if s := Suggest(k, spec.keys()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(vw.at(k), "%s", msg)
			continue
		}
		if f != nil && !allowed(f.only, d.dynamics) {
			d.fail(vw.at(k), "only allowed with dynamics = %q", onlyName(f.only))
		}
		if sub := spec.entities[k]; sub != nil && !allowed(sub.only, d.dynamics) {
			d.fail(vw.at(k), "only allowed with dynamics = %q", onlyName(sub.only))
		}
	}
	return vw
}

func allowed(o only, d sim.Dynamics) bool {
	return o == anyDynamics || (o == tensionOnly) == (d == sim.Tension)
}

func onlyName(o only) string {
	if o == tensionOnly {
		return "tension"
	}
	return "markov"
}

func (v *view) at(k ...string) []string {
	return append(slices.Clone(v.path), k...)
}

func (v *view) has(key string) bool { _, ok := v.m[key]; return ok }

func (v *view) get(key string) (any, *field, bool) {
	f := v.spec.field(key)
	if f == nil {
		panic("scenarios: key " + key + " is not in the schema of " + v.spec.path)
	}
	if v.d.read != nil {
		v.d.read[f] = true
	}
	x, ok := v.m[key]
	if !ok && f.required && allowed(f.only, v.d.dynamics) {
		v.d.fail(v.at(key), "required key is missing (%s)", f.doc)
	}
	return x, f, ok
}

// number checks that x is a finite number in f's range.
func (v *view) number(path []string, x any, f *field) (float64, bool) {
	var n float64
	switch t := x.(type) {
	case int64:
		n = float64(t)
	case float64:
		n = t
	default:
		v.d.fail(path, "must be a number, got %s", typeName(x))
		return 0, false
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		v.d.fail(path, "must be a finite number, got %v", n)
		return 0, false
	}
	if (n < f.min || n > f.max) && !v.d.unranged {
		v.d.fail(path, "must be between %s and %s, got %s", fmtNum(f.min), fmtNum(f.max), fmtNum(n))
		return 0, false
	}
	return n, true
}

func fmtNum(x float64) string {
	switch {
	case x == math.MaxInt64:
		return "2^63-1"
	case x == sim.MaxRuns:
		return "2^53"
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(x)
}

// intBound is a bound of an integer key as an integer: compared as floats,
// 2^53 + 1 would pass a maximum of 2^53.
func intBound(x float64) int64 {
	if x >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(x)
}

// fmtInt writes a bound of an integer key as an integer.
func fmtInt(x float64) string {
	if x >= math.MaxInt64 {
		return "2^63-1"
	}
	return strconv.FormatInt(int64(x), 10)
}

// decodeFields decodes every key of the view's table that has a place in
// the scenario (a ptr) into the entity r points to, with the key's default
// when it is absent. Keys with a meaning of their own (enums, references)
// the decoder reads itself. Keys of the other dynamics are left at zero,
// unless every is set: the model's keep their defaults under either
// dynamics, as summaries have always recorded them.
func (v *view) decodeFields(r res, every bool) {
	for i := range v.spec.fields {
		f := &v.spec.fields[i]
		if f.ptr == nil || !every && !allowed(f.only, v.d.dynamics) {
			continue
		}
		switch p := f.ptr(r).(type) {
		case *float64:
			*p = v.float(f.key)
		case *int:
			*p = int(v.int(f.key))
		case *int64:
			*p = v.int(f.key)
		case *uint64:
			*p = uint64(v.int(f.key)) // the table's range starts at 0
		case *string:
			if f.dflt != nil {
				*p = v.strOr(f.key, f.dflt(r).(string))
			} else {
				*p = v.str(f.key)
			}
		case *[sim.NumStages]float64:
			var fallback [sim.NumStages]float64
			if f.dflt != nil {
				fallback = f.dflt(r).([sim.NumStages]float64)
			}
			*p = v.stages(f.key, fallback)
		default:
			panic(fmt.Sprintf("scenarios: key %s has a place of type %T", f.key, p))
		}
	}
}

// float returns the key's number, or its default when it is absent (0 for
// a key without one: a required key, reported missing).
func (v *view) float(key string) float64 {
	fallback, _ := v.spec.field(key).value.(float64)
	x, f, ok := v.get(key)
	if !ok {
		return fallback
	}
	n, ok := v.number(v.at(key), x, f)
	if !ok {
		return fallback
	}
	return n
}

// int returns the key's integer, or its default when it is absent (0 for a
// key without one).
func (v *view) int(key string) int64 {
	fallback, _ := v.spec.field(key).value.(int64)
	x, f, ok := v.get(key)
	if !ok {
		return fallback
	}
	i, isInt := x.(int64)
	if !isInt {
		if fl, isFloat := x.(float64); isFloat {
			switch {
			case fl == math.Trunc(fl) && math.Abs(fl) < 1e15:
				// 36.0 or 3.6e1 is a float in TOML: integers have
				// neither a decimal point nor an exponent.
				v.d.fail(v.at(key), "must be an integer: write %s, without a decimal point or exponent", strconv.FormatFloat(fl, 'f', -1, 64))
			case fl == math.Trunc(fl):
				v.d.fail(v.at(key), "must be an integer written without a decimal point or exponent, got %g", fl)
			default:
				v.d.fail(v.at(key), "must be a whole number, got %v", fl)
			}
		} else {
			v.d.fail(v.at(key), "must be an integer, got %s", typeName(x))
		}
		return fallback
	}
	if (i < intBound(f.min) || i > intBound(f.max)) && !v.d.unranged {
		v.d.fail(v.at(key), "must be between %s and %s, got %d", fmtInt(f.min), fmtInt(f.max), i)
		return fallback
	}
	return i
}

// str returns the key's string (checked against the enum, if any), or its
// default when it is absent ("" for a key without one).
func (v *view) str(key string) string {
	fallback, _ := v.spec.field(key).value.(string)
	return v.strOr(key, fallback)
}

// strOr is str for a key whose default depends on the rest of the file:
// a name that defaults to the ID.
func (v *view) strOr(key, fallback string) string {
	x, f, ok := v.get(key)
	if !ok {
		return fallback
	}
	s, isStr := x.(string)
	if !isStr {
		v.d.fail(v.at(key), "must be a string, got %s", typeName(x))
		return fallback
	}
	if f.kind == kEnum && !slices.Contains(f.enum, s) {
		v.d.fail(v.at(key), "must be one of %s, got %q", quoteAll(f.enum), s)
		return fallback
	}
	// Names and titles go to terminals, table cells, CSV, JSON and SVG
	// (where most control characters are not allowed at all): plain text,
	// with line breaks and tabs only in descriptions, and no bidirectional
	// controls, which reorder what a reader sees.
	multiline := key == "description"
	if i := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) || unicode.Is(unicode.Bidi_Control, r)
	}); i >= 0 {
		v.d.fail(v.at(key), "contains the control character %U; write plain text on one line", []rune(s[i:])[0])
		return fallback
	}
	if f.key == "name" && strings.TrimSpace(s) == "" {
		v.d.fail(v.at(key), "is empty; leave the key out to use the ID")
		return fallback
	}
	return s
}

// strings returns the key's array of strings.
func (v *view) strings(key string) []string {
	x, _, ok := v.get(key)
	if !ok {
		return nil
	}
	arr, isArr := x.([]any)
	if !isArr {
		v.d.fail(v.at(key), "must be an array of strings, got %s", typeName(x))
		return nil
	}
	var out []string
	for i, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			v.d.fail(v.at(key), "element %d must be a string, got %s", i+1, typeName(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

// stages returns the key's table of numbers by stage; stages left out keep
// their fallback.
func (v *view) stages(key string, fallback [sim.NumStages]float64) [sim.NumStages]float64 {
	x, f, ok := v.get(key)
	if !ok {
		return fallback
	}
	m, isMap := x.(map[string]any)
	if !isMap {
		v.d.fail(v.at(key), "must be a table like { latent = 0.1, escalating = 0.2, war = 0.3 }, got %s", typeName(x))
		return fallback
	}
	out := fallback
	for _, k := range v.d.f.keysOf(v.at(key), m) {
		st, err := sim.ParseStage(k)
		if err != nil {
			v.d.fail(v.at(key, k), "unknown stage %q (want latent, escalating or war)", k)
			continue
		}
		if n, ok := v.number(v.at(key, k), m[k], f); ok {
			out[st] = n
		}
	}
	return out
}

type weight struct {
	id string
	w  float64
}

// weights returns the key's table of numbers by country id, in file order.
func (v *view) weights(key string) []weight {
	x, f, ok := v.get(key)
	if !ok {
		return nil
	}
	m, isMap := x.(map[string]any)
	if !isMap {
		v.d.fail(v.at(key), "must be a table like { neighbour = 0.03 }, got %s", typeName(x))
		return nil
	}
	var out []weight
	for _, k := range v.d.f.keysOf(v.at(key), m) {
		if n, ok := v.number(v.at(key, k), m[k], f); ok {
			out = append(out, weight{k, n})
		}
	}
	return out
}

// months returns the key's table of staff by month ({ 9 = 20, 15 = 0 })
// as changes in increasing order of month: a table has no order of its
// own to get wrong. A month must be a whole number in 1..horizon (beyond
// it only after an override shortened the horizon).
func (v *view) months(key string, horizon int) []sim.StaffChange {
	x, f, ok := v.get(key)
	if !ok {
		return nil
	}
	m, isMap := x.(map[string]any)
	if !isMap {
		v.d.fail(v.at(key), "must be a table of staff by month like { 9 = 20, 15 = 0 }, got %s", typeName(x))
		return nil
	}
	var out []sim.StaffChange
	for _, k := range v.d.f.keysOf(v.at(key), m) {
		month, err := strconv.Atoi(k)
		if err != nil || strconv.Itoa(month) != k || month < 1 || month > sim.MaxHorizon {
			v.d.fail(v.at(key, k), "month %q must be a whole number from 1 to horizon_months (%d), written without sign or leading zeros", shorten(k), horizon)
			continue
		}
		if horizon > 0 && month > horizon && !v.d.horizonOverridden() {
			v.d.fail(v.at(key, k), "month %d is beyond horizon_months (%d)", month, horizon)
			continue
		}
		if n, ok := v.number(v.at(key, k), m[k], f); ok {
			out = append(out, sim.StaffChange{Month: month, Staff: n})
		}
	}
	slices.SortFunc(out, func(a, b sim.StaffChange) int { return cmp.Compare(a.Month, b.Month) })
	return out
}

// entities returns the named tables under key, in file order.
func (v *view) entities(key string) ([]string, map[string]any) {
	x, ok := v.m[key]
	if !ok {
		return nil, nil
	}
	m, isMap := x.(map[string]any)
	if !isMap {
		v.d.fail(v.at(key), "must be a set of named tables like [%s.NAME], got %s", strings.Join(v.at(key), "."), typeName(x))
		return nil, nil
	}
	names := v.d.f.keysOf(v.at(key), m)
	for _, n := range names {
		if !idPattern.MatchString(n) {
			v.d.fail(v.at(key, n), "name %q must use only ASCII letters, digits, _ and -", n)
		}
	}
	return names, m
}

// keysOf returns the keys of m, the table at path, in file order; keys set
// only by overrides follow in sorted order.
func (f *File) keysOf(path []string, m map[string]any) []string {
	var out []string
	for _, k := range f.order[strings.Join(path, ".")] {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	if len(out) == len(m) {
		return out
	}
	var extra []string
	for k := range m {
		if !slices.Contains(out, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// shorten cuts a long value quoted in a message: the key and the start of
// the value say enough.
func shorten(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		return string(r[:most]) + "…"
	}
	return s
}

func typeName(x any) string {
	switch t := x.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("string %q", shorten(t))
	case int64:
		return fmt.Sprintf("integer %d", t)
	case float64:
		return fmt.Sprintf("number %v", t)
	case bool:
		return fmt.Sprintf("boolean %v", t)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", x)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func deepCopy(x any) any {
	switch t := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[k] = deepCopy(v)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, v := range t {
			a[i] = deepCopy(v)
		}
		return a
	}
	return x
}
