package scenarios

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

func loadUncertain(t *testing.T) *File {
	t.Helper()
	data, err := os.ReadFile("testdata/uncertain.toml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("testdata/uncertain.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUncertainTable(t *testing.T) {
	f := loadUncertain(t)
	us := f.Uncertain()
	want := []string{"country.alpha.volatility", "country.alpha.structural_pressure", "country.alpha.reversion",
		"intervention.envoy.consent", "country.alpha.shock.riots.rate_per_year",
		"intervention.envoy.startup_delay_months", "intervention.envoy.trigger", "country.alpha.momentum.war"}
	if len(us) != len(want) {
		t.Fatalf("%d uncertain keys, want %d", len(us), len(want))
	}
	for i, u := range us {
		if u.Key() != want[i] {
			t.Errorf("key %d = %s, want %s (file order)", i, u.Key(), want[i])
		}
	}
	// The table does not change the scenario the other commands run.
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Countries[0].Volatility != 0.03 && sc.Countries[0].StructuralPressure != 0.5 {
		t.Errorf("scenario changed by [uncertain]: %+v", sc.Countries[0])
	}
}

// Quantile functions at known points.
func TestDistributionValue(t *testing.T) {
	for _, c := range []struct {
		d    Distribution
		q    float64
		want any
	}{
		{Distribution{Kind: "uniform", Params: []float64{2, 4}}, 0.25, 2.5},
		{Distribution{Kind: "triangular", Params: []float64{0, 1, 2}}, 0.5, 1.0},
		{Distribution{Kind: "triangular", Params: []float64{0, 1, 2}}, 0.125, 0.5},
		{Distribution{Kind: "normal", Params: []float64{0, 1, -1, 1}}, 0.5, 0.0},
		{Distribution{Kind: "normal", Params: []float64{0, 1, 0, 40}}, 0.5, 0.6744897501960817}, // median of a half-normal
		{Distribution{Kind: "beta", Params: []float64{1, 1, 10, 20}}, 0.3, 13.0},
		{Distribution{Kind: "beta", Params: []float64{2, 2, 0, 1}}, 0.5, 0.5},
		{Distribution{Kind: "loguniform", Params: []float64{1, 100}}, 0.5, 10.0},
		{Distribution{Kind: "integer", Params: []float64{0, 6}}, 0, int64(0)},
		{Distribution{Kind: "integer", Params: []float64{0, 6}}, 0.999, int64(6)},
		{Distribution{Kind: "integer", Params: []float64{0, 6}}, 3.0 / 7, int64(3)},
		{Distribution{Kind: "choice", Values: []any{"a", "b"}}, 0.49, "a"},
		{Distribution{Kind: "choice", Values: []any{"a", "b"}}, 0.5, "b"},
	} {
		got := c.d.Value(c.q)
		if g, ok := got.(float64); ok {
			if w := c.want.(float64); math.Abs(g-w) > 1e-9 {
				t.Errorf("%s at %v = %v, want %v", c.d, c.q, g, w)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s at %v = %v (%T), want %v", c.d, c.q, got, got, c.want)
		}
	}
}

// Every drawn value lies in the distribution's support, and values rise
// with the quantile (a design's order is kept).
func TestDistributionMonotone(t *testing.T) {
	f := loadUncertain(t)
	for _, u := range f.Uncertain() {
		if u.Dist.Kind == "choice" {
			continue
		}
		s := u.Dist.support()
		lo, hi := uncertainFloat(s[0]), uncertainFloat(s[1])
		prev := math.Inf(-1)
		for i := range 1000 {
			v := uncertainFloat(u.Dist.Value(float64(i) / 1000))
			if v < lo || v > hi || v < prev {
				t.Fatalf("%s: value %v at %v outside [%v, %v] or below %v", u.Dist, v, float64(i)/1000, lo, hi, prev)
			}
			prev = v
		}
	}
}

func uncertainFloat(v any) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}

func TestUncertainErrors(t *testing.T) {
	base, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(base), "\n")
	for _, c := range []struct{ entry, want string }{
		{`"country.alpha.volatility" = { uniform = [0.03, 1.5] }`, `country.alpha.volatility: must be between 0 and 1, got 1.5 (set by [uncertain])`},
		{`"country.alpha.volatility" = { uniform = [0.09, 0.03] }`, `needs lo < hi`},
		{`"country.alpha.volatilty" = { uniform = [0.03, 0.09] }`, `did you mean "country.alpha.volatility"`},
		{`"country.alpha.volatility" = { unifrom = [0.03, 0.09] }`, `unknown distribution "unifrom" (did you mean "uniform"?)`},
		{`"country.alpha.volatility" = { uniform = [0.03] }`, `uniform takes 2 numbers [lo, hi], got 1`},
		{`"country.alpha.volatility" = 0.05`, `must be a table with one distribution`},
		{`"intervention.envoy.staff" = { normal = [5, 0, 1, 9] }`, `needs sd > 0`},
		{`"intervention.envoy.trigger" = { uniform = [0, 1] }`, `is a string key: give a choice distribution`},
		{`"intervention.envoy.trigger" = { choice = ["escalating", "peace"] }`, `must be one of`},
		{`"country.alpha.shock.riots.month" = { integer = [1, 2] }`, `unknown key`},
		{`"country.alpha.momentum" = { uniform = [0, 0.1] }`, `name one entry, e.g. country.alpha.momentum.war`},
		{`"intervention.envoy.startup_delay_months" = { uniform = [0, 3] }`, `is an integer key`},
		{`"intervention.envoy.startup_delay_months" = { integer = [0, 2.5] }`, `integer takes two integers [lo, hi], got 2.5`},
		{`"country.alpha.shock.riots.rate_per_year" = { loguniform = [0, 8] }`, `needs 0 < lo < hi`},
		{`"strategy.none.disable" = { choice = ["a"] }`, `strategies cannot be overridden`},
		{`"country.alpha.volatility" = { choice = [] }`, `choice needs at least one value`},
		{`"country.alpha.volatility" = { beta = [0, 1, 0, 1] }`, `needs alpha > 0`},
	} {
		data := string(base) + "\n[uncertain]\n" + c.entry + "\n"
		_, err := Parse("u.toml", []byte(data))
		if err == nil {
			t.Errorf("%s: no error", c.entry)
			continue
		}
		msg := err.Error()
		// The error names the file and the [uncertain] entry's line.
		line := lines + 3
		if !strings.HasPrefix(msg, "u.toml:"+strconv.Itoa(line)+": ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s:\n got %s\nwant u.toml:%d: ...%s...", c.entry, msg, line, c.want)
		}
	}
}

func TestParseUncertain(t *testing.T) {
	f := loadUncertain(t)
	for _, c := range []struct{ arg, dist, err string }{
		{"country.alpha.volatility=uniform=[0.01, 0.02]", "uniform = [0.01, 0.02]", ""},
		{"country.alpha.volatility={ triangular = [0.01, 0.015, 0.02] }", "triangular = [0.01, 0.015, 0.02]", ""},
		{"intervention.envoy.staff=integer=[1,9]", "integer = [1, 9]", ""},
		{"country.alpha.initial_tension=choice=[0.2, 0.3]", "choice = [0.2, 0.3]", ""},
		{"country.alpha.volatility=uniform:0.01:0.02", "uniform = [0.01, 0.02]", ""},
		{"intervention.envoy.staff=integer:1:9", "integer = [1, 9]", ""},
		{"intervention.envoy.trigger=choice:escalating:war", `choice = ["escalating", "war"]`, ""},
		{"intervention.envoy.trigger=choice:escalating:peace", "", "must be one of"},
		{"country.alpha.volatility=uniform:0.01", "", "uniform takes 2 numbers"},
		{"country.alpha.volatility=uniform:a:b", "", "must be a number"},
		{"country.alpha.volatility", "", "want PATH=DIST"},
		{"country.alpha.volatility=uniform", "", "not a distribution"},
		{"country.alpha.volatility=uniform=[0.01, 2]", "", "must be between 0 and 1, got 2 (set by --uncertain country.alpha.volatility=uniform=[0.01, 2])"},
		{"country.nowhere.volatility=uniform=[0.01, 0.02]", "", `no country "nowhere"`},
		{"a..b=uniform=[0,1]", "", "each part must be"},
	} {
		u, err := ParseUncertain(c.arg)
		if err == nil {
			_, err = f.WithUncertain(u)
		}
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.arg, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", c.arg, err, c.err)
		case c.err == "" && u.Dist.String() != c.dist:
			t.Errorf("%s: %s, want %s", c.arg, u.Dist, c.dist)
		}
	}
	// --uncertain replaces the file's entry for the same path and adds others.
	u1, _ := ParseUncertain("country.alpha.volatility=uniform=[0.01, 0.02]")
	u2, _ := ParseUncertain("country.alpha.initial_tension=uniform=[0.1, 0.2]")
	us, err := f.WithUncertain(u1, u2)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 9 || us[0].Dist.Params[1] != 0.02 || us[8].Key() != "country.alpha.initial_tension" {
		t.Errorf("merged: %d keys, first %s, last %s", len(us), us[0].Dist, us[len(us)-1].Key())
	}
}

// A value drawn and applied is the value --set would apply: the override
// prints as a --set argument that parses back to the same value.
func TestUncertainOverrideRoundTrip(t *testing.T) {
	f := loadUncertain(t)
	for _, u := range f.Uncertain() {
		for _, q := range []float64{0, 0.1234567, 0.5, 0.9999} {
			v := u.Dist.Value(q)
			ov := u.Override(v)
			back, err := ParseOverride(u.Key() + "=" + FormatValue(v))
			if err != nil {
				t.Fatal(err)
			}
			if back.Value != ov.Value {
				t.Errorf("%s at %v: --set reads %v (%T), override holds %v (%T)", u.Key(), q, back.Value, back.Value, ov.Value, ov.Value)
			}
			a, errA := f.Scenario(ov)
			b, errB := f.Scenario(back)
			if errA != nil || errB != nil {
				t.Fatalf("%s=%v: %v / %v", u.Key(), v, errA, errB)
			}
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) != string(jb) {
				t.Errorf("%s=%v: scenarios differ", u.Key(), v)
			}
		}
	}
}

func TestDistributionJSON(t *testing.T) {
	for _, c := range []struct {
		d    Distribution
		want string
	}{
		{Distribution{Kind: "uniform", Params: []float64{0.03, 0.09}}, `{"uniform":[0.03,0.09]}`},
		{Distribution{Kind: "integer", Params: []float64{0, 6}}, `{"integer":[0,6]}`},
		{Distribution{Kind: "choice", Values: []any{"war", int64(2)}}, `{"choice":["war",2]}`},
	} {
		b, err := json.Marshal(c.d)
		if err != nil || string(b) != c.want {
			t.Errorf("%s: %s %v, want %s", c.d, b, err, c.want)
		}
	}
}

// FuzzParseUncertain feeds arbitrary --uncertain arguments and [uncertain]
// entries to the parser: never a panic; an accepted distribution draws
// values inside its support.
// Fuzz with: go test ./scenarios -run '^$' -fuzz FuzzParseUncertain -fuzztime 5m
func FuzzParseUncertain(f *testing.F) {
	for _, s := range []string{
		"country.alpha.volatility=uniform=[0.03, 0.09]",
		"country.alpha.reversion={ normal = [0.08, 0.02, 0.02, 0.2] }",
		"intervention.envoy.trigger=choice=[\"war\"]",
		"intervention.envoy.staff=integer=[1, 9]",
		"x=beta=[1e-300, 1e300, -1, 1]",
		"x=loguniform=[1e-300, 1e300]",
		"x=triangular=[0, 0, 1]",
		"x={uniform=[0,1], integer=[0,1]}",
	} {
		f.Add(s)
	}
	file, err := Parse("testdata/uncertain.toml", mustRead(f, "testdata/uncertain.toml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUncertain(s)
		if err != nil {
			return
		}
		for _, q := range []float64{0, 0.3, 0.999999} {
			v := u.Dist.Value(q)
			if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
				t.Fatalf("%s at %v drew %v", u.Dist, q, x)
			}
		}
		if _, err := file.WithUncertain(u); err != nil && len(AsErrors(err)) == 0 {
			t.Fatalf("error is not a scenario error: %v", err)
		}
		// The same entry in a file's [uncertain] table.
		path, raw, _ := strings.Cut(s, "=")
		if !strings.HasPrefix(strings.TrimSpace(raw), "{") {
			raw = "{ " + raw + " }"
		}
		data := string(file.Data) + "\n\"" + path + "\" = " + raw + "\n"
		if _, err := Parse("fuzz.toml", []byte(data)); err != nil && len(AsErrors(err)) == 0 {
			t.Fatalf("file error is not a scenario error: %v", err)
		}
	})
}

func mustRead(f *testing.F, p string) []byte {
	data, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// The JSON Schema accepts a file's [uncertain] table and refuses an entry
// with two distributions, an unknown one, numbers that are not, or a path
// of one part. (The arity of each kind only the loader checks.)
func TestUncertainJSONSchema(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(JSONSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	v := &schemaValidator{root: schema}
	if problems := v.validateFile(t, "testdata/uncertain.toml"); len(problems) > 0 {
		t.Errorf("the schema refuses testdata/uncertain.toml:\n%s", strings.Join(problems, "\n"))
	}
	base := mustReadT(t, "testdata/minimal.toml")
	for _, entry := range []string{
		`"country.alpha.volatility" = { uniform = [0.1, 0.2], integer = [1, 2] }`,
		`"country.alpha.volatility" = { unifrom = [0.1, 0.2] }`,
		`"country.alpha.volatility" = { uniform = ["low", "high"] }`,
		`volatility = { uniform = [0.1, 0.2] }`,
	} {
		tree := tomlTree(t, []byte(string(base)+"\n[uncertain]\n"+entry+"\n"))
		if problems := v.validate(tree, "", schema); len(problems) == 0 {
			t.Errorf("the schema accepts %s", entry)
		}
	}
}

func mustReadT(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
