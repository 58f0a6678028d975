package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// resolvedShipped returns every shipped scenario and strategy, resolved.
func resolvedShipped(t *testing.T) map[string]*sim.Scenario {
	t.Helper()
	infos, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*sim.Scenario{}
	for _, info := range infos {
		f, err := Open(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		out[info.Name] = sc
		for _, st := range f.Strategies {
			if out[info.Name+"/"+st.ID], err = f.Strategy(st.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// The canonical encoding is a scenario file that decodes to the same
// scenario: it holds every value of the model, so equal fingerprints mean
// equal scenarios.
func TestCanonicalRoundTrip(t *testing.T) {
	for name, sc := range resolvedShipped(t) {
		text := Canonical(sc)
		if !strings.HasPrefix(string(text), "# escalate scenario, canonical encoding v1\n") {
			t.Fatalf("%s: no version line:\n%s", name, text)
		}
		f, err := Parse(sc.Name+".toml", text)
		if err != nil {
			t.Errorf("%s: the canonical text does not parse: %v\n%s", name, err, text)
			continue
		}
		back, err := f.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Interventions) == 0 {
			// A strategy that disables every mission leaves an empty
			// list where a file without missions has none: one model.
			back.Interventions = sc.Interventions
		}
		if !reflect.DeepEqual(back, sc) {
			t.Errorf("%s: the canonical text decodes to another scenario:\n%s\n%+v\n%+v", name, text, back, sc)
		}
		if Fingerprint(back) != Fingerprint(sc) {
			t.Errorf("%s: fingerprint changed through the canonical text", name)
		}
	}
}

// A scenario keeps its fingerprint when the key table gains an optional
// key (a new field in a Go struct, at its default), when the file writes a
// default out, and when comments, layout and table order change; a changed
// value changes it.
func TestFingerprintStable(t *testing.T) {
	all := resolvedShipped(t)
	// A key added to every table the encoding walks, at its default.
	grown := defaultTables
	for _, tp := range []**table{&grown.top, &grown.model, &grown.transitions, &grown.country, &grown.shock, &grown.event, &grown.intervention} {
		cp := **tp
		cp.fields = append(slices.Clone(cp.fields),
			field{key: "new_key", kind: kFloat, max: 1, value: 0.5, doc: "A key added later.", get: func(res) any { return 0.5 }},
			field{key: "new_name", kind: kString, def: "the ID", doc: "A key whose default depends on the file.", get: func(r res) any { return "same" }, dflt: func(res) any { return "same" }})
		*tp = &cp
	}
	for name, sc := range all {
		if got := string(canonical(sc, grown)); got != string(Canonical(sc)) {
			t.Errorf("%s: a new key at its default changed the encoding:\n%s", name, got)
		}
	}

	base := minimal(t)
	variants := map[string][]byte{
		"defaults written out": edit(t, "staff = 5", "staff = 5\nexpertise = 1\nconsent = 1.0\nstaff_scale = 10\nstartup_delay_months = 0\ntrigger = \"none\"\nname = \"envoy\""),
		"comments and layout":  []byte(strings.ReplaceAll(strings.ReplaceAll(string(base), " = ", "="), "\n[", "\n# a comment\n\n[")),
		"tables reordered": []byte(strings.Replace(string(base), "[model]\nescalation_threshold = 0.4\nwar_threshold = 0.75\n", "", 1) +
			"\n[model]\nwar_threshold = 0.75\nescalation_threshold = 0.4\n"),
		"countries for one country": edit(t, `country = "alpha"`, `countries = ["alpha"]`),
	}
	want := fingerprintOf(t, base)
	for name, data := range variants {
		if got := fingerprintOf(t, data); got != want {
			t.Errorf("%s: fingerprint %s, want %s", name, got, want)
		}
	}
	for name, data := range map[string][]byte{
		"staff":                  edit(t, "staff = 5", "staff = 6"),
		"expertise below 1":      edit(t, "staff = 5", "staff = 5\nexpertise = 0.999"),
		"title":                  edit(t, `title = "Minimal"`, `title = "Minimal 2"`),
		"spillover order":        edit(t, "[country.beta]\n", "[country.beta]\nspillover = { alpha = 0.01 }\n"),
		"effect of one stage":    edit(t, "staff = 5", "staff = 5\neffect = { war = 0.5 }"),
		"trigger instead of 0":   edit(t, "staff = 5", "staff = 5\ntrigger = \"war\""),
		"runs (a key's default)": edit(t, "runs = 500", "runs = 501"),
	} {
		if got := fingerprintOf(t, data); got == want {
			t.Errorf("%s: a changed value kept the fingerprint", name)
		}
	}
	// Shipped fingerprints are distinct.
	seen := map[string]string{}
	for name, sc := range all {
		fp := Fingerprint(sc)
		if other, ok := seen[fp]; ok && !sameModel(all[other], sc) {
			t.Errorf("%s and %s share a fingerprint", name, other)
		}
		seen[fp] = name
	}
}

// sameModel reports whether two resolved scenarios are the same model,
// as two strategies of a file may be.
func sameModel(a, b *sim.Scenario) bool { return reflect.DeepEqual(a, b) }

func fingerprintOf(t *testing.T, data []byte) string {
	t.Helper()
	f, err := Parse("minimal.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	return Fingerprint(sc)
}

func ExampleCanonical() {
	f, err := Parse("tiny.toml", []byte(`
horizon_months = 12
[country.a]
initial_tension = 0.3
structural_pressure = 0.3
volatility = 0.03   # the default: left out of the encoding
[intervention.envoy]
kind = "mediation"
country = "a"
staff = 5
`))
	if err != nil {
		panic(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		panic(err)
	}
	fmt.Print(string(Canonical(sc)))
	// Output:
	// # escalate scenario, canonical encoding v1
	// horizon_months = 12
	// [model]
	// [country.a]
	// initial_tension = 0.3
	// structural_pressure = 0.3
	// [intervention.envoy]
	// kind = "mediation"
	// country = "a"
	// staff = 5
}

// The fingerprint of a scenario is pinned here: it changes only with a new
// CanonicalVersion, which a change to the encoding of existing keys needs.
func ExampleFingerprint() {
	f, err := Parse("tiny.toml", []byte(`
horizon_months = 12
[country.a]
initial_tension = 0.3
structural_pressure = 0.3
[intervention.envoy]
kind = "mediation"
country = "a"
staff = 5
`))
	if err != nil {
		panic(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		panic(err)
	}
	fmt.Println(Fingerprint(sc))
	// Output: 50cc4d633a1b8faec71c992be74e459c077fa3493d06aaeac2fdc2a0b1a58b0e
}
