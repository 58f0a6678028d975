package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// The committed escalate.schema.json is the generated one: regenerate it
// with go test ./scenarios -run JSONSchema -update.
func TestJSONSchemaFile(t *testing.T) {
	want := JSONSchema()
	if !bytes.Equal(want, JSONSchema()) {
		t.Fatal("JSONSchema is not deterministic")
	}
	if !json.Valid(want) {
		t.Fatal("JSONSchema is not valid JSON")
	}
	const path = "escalate.schema.json"
	got, err := os.ReadFile(path)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./scenarios -run JSONSchema -update", path)
	}
}

// The schema accepts every shipped scenario and the test's valid files,
// and rejects every malformed file of testdata/bad (each for a reason the
// loader also gives: a key path it names).
func TestJSONSchemaAcceptsAndRejects(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(JSONSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	v := &schemaValidator{root: schema}
	good, _ := filepath.Glob("*.toml")
	good = append(good, "testdata/minimal.toml")
	if len(good) < 6 {
		t.Fatalf("only %d valid files", len(good))
	}
	for _, path := range good {
		if problems := v.validateFile(t, path); len(problems) > 0 {
			t.Errorf("%s: the schema refuses a valid scenario:\n%s", path, strings.Join(problems, "\n"))
		}
	}
	markov := v.validate(tomlTree(t, []byte(markovFixture)), "", schema)
	if len(markov) > 0 {
		t.Errorf("the schema refuses a valid Markov scenario: %v", markov)
	}
	for _, path := range badFiles(t) {
		problems := v.validateFile(t, path)
		if len(problems) == 0 {
			t.Errorf("%s: the schema accepts a malformed scenario", path)
			continue
		}
		golden, err := os.ReadFile(strings.TrimSuffix(path, ".toml") + ".err")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			key, _, _ := strings.Cut(p, ": ")
			if !strings.Contains(string(golden), ": "+key+": ") {
				t.Errorf("%s: the schema's problem %q is at a key the loader does not name", path, p)
			}
		}
	}
	// Keys of the other dynamics.
	for _, bad := range []string{
		strings.Replace(markovFixture, `initial_stage = "latent"`, "initial_stage = \"latent\"\ninitial_tension = 0.3", 1),
		strings.Replace(markovFixture, `initial_stage = "latent"`, "initial_stage = \"latent\"\n[country.a.shock.x]\nrate_per_year = 1\nmean_size = 0.1", 1),
		strings.Replace(string(minimal(t)), "war_threshold = 0.75", "war_threshold = 0.75\nmonths_per_step = 12", 1),
		strings.Replace(string(minimal(t)), "war_threshold = 0.75", "war_threshold = 0.75\n[model.transitions]\nlatent = { latent = 1 }\nescalating = { escalating = 1 }\nwar = { war = 1 }", 1),
	} {
		if p := v.validate(tomlTree(t, []byte(bad)), "", schema); len(p) == 0 {
			t.Errorf("the schema accepts a key of the other dynamics:\n%s", bad)
		}
		if _, err := Parse("x.toml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "only allowed with dynamics") {
			t.Errorf("the loader: %v", err)
		}
	}
	// Keys required under one dynamics only.
	noPressure := strings.Replace(string(minimal(t)), "structural_pressure = 0.4", "", 1)
	if p := v.validate(tomlTree(t, []byte(noPressure)), "", schema); len(p) == 0 {
		t.Error("the schema accepts a tension scenario without structural_pressure")
	}
	noRows := strings.Replace(markovFixture, "[model.transitions]", "[model.x]", 1)
	noRows = regexp.MustCompile(`(?m)^(latent|escalating|war) .*\n`).ReplaceAllString(noRows, "")
	noRows = strings.Replace(noRows, "[model.x]\n", "", 1)
	if p := v.validate(tomlTree(t, []byte(noRows)), "", schema); len(p) == 0 {
		t.Errorf("the schema accepts a Markov scenario without transitions:\n%s", noRows)
	}
}

func tomlTree(t *testing.T, data []byte) any {
	t.Helper()
	var tree map[string]any
	if _, err := toml.Decode(string(data), &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

// schemaValidator checks a decoded TOML tree against the subset of JSON
// Schema (draft-07) that JSONSchema emits. A keyword outside that subset
// fails the test rather than being ignored, so the schema cannot grow a
// check this validator silently skips.
type schemaValidator struct {
	root map[string]any
	t    *testing.T
}

func (v *schemaValidator) validateFile(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v.t = t
	return v.validate(tomlTree(t, data), "", v.root)
}

var annotations = []string{"$schema", "title", "description", "default", "definitions"}

func (v *schemaValidator) validate(x any, path string, schema any) []string {
	var out []string
	if schema == false {
		return []string{strings.TrimPrefix(path, ".") + ": not allowed here"}
	}
	s := schema.(map[string]any)
	badAt := func(at, format string, args ...any) {
		out = append(out, strings.TrimPrefix(at, ".")+": "+fmt.Sprintf(format, args...))
	}
	bad := func(format string, args ...any) { badAt(path, format, args...) }
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	obj, isObj := x.(map[string]any)
	for _, k := range keys {
		arg := s[k]
		switch k {
		case "$ref":
			name := strings.TrimPrefix(arg.(string), "#/definitions/")
			def := v.root["definitions"].(map[string]any)[name].(map[string]any)
			out = append(out, v.validate(x, path, def)...)
		case "type":
			if !hasType(x, arg.(string)) {
				bad("want %s, got %T", arg, x)
				return out // the other keywords assume the type
			}
		case "enum":
			if !slices.Contains(arg.([]any), x) {
				bad("%v is not one of %v", x, arg)
			}
		case "const":
			if x != arg {
				bad("%v is not %v", x, arg)
			}
		case "minimum", "maximum":
			n, ok := toFloat(x)
			if ok && (math.IsNaN(n) || k == "minimum" && n < arg.(float64) || k == "maximum" && n > arg.(float64)) {
				bad("%v is out of range (%s %v)", x, k, arg)
			}
		case "required":
			for _, r := range arg.([]any) {
				if _, ok := obj[r.(string)]; isObj && !ok {
					badAt(path+"."+r.(string), "required key is missing")
				}
			}
		case "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties":
			if !isObj {
				continue
			}
			props, _ := s["properties"].(map[string]any)
			for name, val := range obj {
				sub, listed := props[name]
				switch {
				case k == "properties" && listed:
					out = append(out, v.validate(val, path+"."+name, sub)...)
				case k == "additionalProperties" && !listed:
					if arg == false {
						badAt(path+"."+name, "unknown key")
					} else if m, ok := arg.(map[string]any); ok {
						out = append(out, v.validate(val, path+"."+name, m)...)
					}
				case k == "propertyNames":
					out = append(out, v.validate(name, path+"."+name, arg.(map[string]any))...)
				}
			}
			if k == "minProperties" && float64(len(obj)) < arg.(float64) {
				bad("fewer than %v entries", arg)
			}
			if k == "maxProperties" && float64(len(obj)) > arg.(float64) {
				bad("more than %v entries", arg)
			}
		case "pattern":
			if str, ok := x.(string); ok && !regexp.MustCompile(arg.(string)).MatchString(str) {
				bad("%q does not match %s", str, arg)
			}
		case "items":
			arr, _ := x.([]any)
			for i, e := range arr {
				out = append(out, v.validate(e, fmt.Sprintf("%s[%d]", path, i), arg.(map[string]any))...)
			}
		case "if":
			branch := "else"
			if len(v.validate(x, path, arg.(map[string]any))) == 0 {
				branch = "then"
			}
			if b, ok := s[branch].(map[string]any); ok {
				out = append(out, v.validate(x, path, b)...)
			}
		case "then", "else":
			// With "if".
		default:
			if !slices.Contains(annotations, k) {
				v.t.Fatalf("the schema uses %q, which this validator does not check", k)
			}
		}
	}
	return out
}

func hasType(x any, typ string) bool {
	switch typ {
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		switch x.(type) {
		case []any, []map[string]any:
			return true
		}
	case "string":
		_, ok := x.(string)
		return ok
	case "integer":
		_, ok := x.(int64)
		return ok
	case "number":
		_, ok := toFloat(x)
		return ok
	default:
		panic("unknown type " + typ)
	}
	return false
}

func toFloat(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func ExampleJSONSchema() {
	var s struct {
		Definitions map[string]struct {
			Properties map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(JSONSchema(), &s); err != nil {
		panic(err)
	}
	var staff struct {
		Type             string
		Minimum, Maximum float64
		Default          float64
	}
	if err := json.Unmarshal(s.Definitions["intervention"].Properties["staff_scale"], &staff); err != nil {
		panic(err)
	}
	fmt.Printf("intervention.ID.staff_scale: %s from %g to %g, default %g\n", staff.Type, staff.Minimum, staff.Maximum, staff.Default)
	// Output: intervention.ID.staff_scale: number from 1e-09 to 100000, default 10
}
