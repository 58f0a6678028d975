package scenarios

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func deep(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func TestCheckDepth(t *testing.T) {
	dotted := func(n int) string { return strings.Repeat("a.", n-1) + "a" }
	for i, test := range []struct {
		toml string
		line int
		key  string
	}{
		{"a = 1\n[country.x]\nmomentum = { war = 0.1 }\n", 0, ""},
		{"[[a.b]]\nx = [[1, 2], [3]]\n", 0, ""},
		{"a = " + deep("[", "]", 8) + "\n", 0, ""},
		{"a = " + deep("[", "]", 9) + "\n", 1, ""},
		{"\n\nx = " + deep("[", "]", 9) + "\n", 3, ""},
		// Keys inside inline tables add to the path: a.b.b... of 9 parts.
		{"a = " + deep("{b = ", "}", 7) + "\n", 0, ""},
		{"a = " + deep("{b = ", "}", 8) + "\n", 1, "b"},
		// Dotted keys, headers, and both together.
		{dotted(8) + " = 1\n", 0, ""},
		{"x = 1\n" + dotted(9) + " = 1\n", 2, "a.a.a.a..."},
		{"[" + dotted(8) + "]\nx = 1\n", 2, "x"},
		{"[" + dotted(7) + "]\nx = 1\n", 0, ""},
		{"[[" + dotted(9) + "]]\n", 1, "a.a.a.a..."},
		{"[a.b.c]\nd.e.f = { g.h = 1 }\n", 0, ""},
		{"[a.b.c]\nd.e.f = { g.h = 1, i = { j = 2 } }\n", 0, ""},
		{"[a.b.c]\nd.e.f = { g.h = 1, i = { j.k = 2 } }\n", 2, "j.k"},
		{"[a.b.c]\nd.e.f = [{ g.h = 1 }, { i = { j.k = 2 } }]\n", 2, "j.k"},
		// Quoted parts are one part each, dots inside them included;
		// blanks around dots are allowed.
		{`"a.b.c.d.e.f.g.h.i" = 1` + "\n", 0, ""},
		{`a . "b" . 'c' .d.e.f.g.h.i = 1` + "\n", 1, `a."b".'c'.d...`},
		// A header's parts apply to the keys under it, not after the next.
		{"[" + dotted(6) + "]\nx.y = 1\n[b]\n" + dotted(7) + " = 1\n", 0, ""},
		// Brackets and dots in strings and comments do not count.
		{`s = "` + strings.Repeat("{", 50) + `"` + "\n# " + strings.Repeat("[", 50) + "\nt = '" + strings.Repeat("{a.", 50) + "'\n", 0, ""},
		{"d = \"\"\"\n" + strings.Repeat("{", 50) + "\n\"\"\"\nx = " + deep("[", "]", 9), 4, ""},
		{`e = "a \" {{{{{{{{{{"` + "\n", 0, ""},
		// A multi-line array is one value: its lines hold no keys.
		{"a = [\n  1,\n  2, # c.d.e\n]\nb = 2\n", 0, ""},
	} {
		p := checkDepth([]byte(test.toml))
		line, key := 0, ""
		if p != nil {
			line, key = p.line, p.key
		}
		if line != test.line || key != test.key {
			t.Errorf("%d: checkDepth = line %d key %q, want line %d key %q", i, line, key, test.line, test.key)
		}
	}
}

// Files nested tens of thousands deep, in each way TOML allows, are
// refused before the TOML parser spends quadratic time and memory on them:
// a megabyte of it in well under a second.
func TestDeepFileRefusedEarly(t *testing.T) {
	const size = 1 << 20
	fill := func(prefix, unit, suffix string) []byte {
		n := (size - len(prefix) - len(suffix)) / len(unit)
		return []byte(prefix + strings.Repeat(unit, n) + suffix)
	}
	for _, test := range []struct {
		name string
		data []byte
		want string
	}{
		{"dotted key", fill("horizon_months = 3\n", "a.", "a = 1\n"), "deep.toml:2: a.a.a.a...: keys nest more than 8 levels deep"},
		{"table header", fill("horizon_months = 3\n[", "a.", "a]\nx = 1\n"), "deep.toml:2: a.a.a.a...: keys nest more than 8 levels deep"},
		{"array of tables", fill("[[", "a.", "a]]\n"), "deep.toml:1: a.a.a.a...: keys nest more than 8 levels deep"},
		{"inline tables", fill("x = ", "{a = ", "1"), "deep.toml:1: a: keys nest more than 8 levels deep"},
		{"arrays", fill("x = ", "[", "1"), "deep.toml:1: inline tables or arrays nested more than 8 deep"},
		{"quoted dotted key", fill("", `"a".`, "a = 1"), `deep.toml:1: "a"."a"."a"."a"...: keys nest more than 8 levels deep`},
	} {
		if len(test.data) > MaxFileSize {
			test.data = test.data[len(test.data)-MaxFileSize:]
			t.Fatalf("%s: test file too large", test.name)
		}
		start := time.Now()
		_, err := Parse("deep.toml", test.data)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %d bytes refused in %v, want under a second", test.name, len(test.data), d)
		}
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: err = %v, want %q", test.name, err, test.want)
		}
	}
	o, err := ParseOverride("intervention.envoy.effect=" + deep("{a = ", "}", 20000))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := o.Value.(string); !ok {
		t.Errorf("a --set value nested 20000 deep was parsed as %T", o.Value)
	}
}

// BenchmarkCheckDepth measures the scan over a megabyte of headers, dotted
// keys, inline tables, arrays, strings and comments (about 90 MB/s on the
// development machine: 12 ms for the largest file the loader accepts).
func BenchmarkCheckDepth(b *testing.B) {
	var buf bytes.Buffer
	for buf.Len() < MaxFileSize-100 {
		buf.WriteString("[a.b.c.d]\nx.y = { z = [1, 2, \"s.t\"] } # c.d\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if p := checkDepth(data); p != nil {
			b.Fatal(p.msg)
		}
	}
}

// FuzzCheckDepth compares the scan with the parser: whenever the scan
// accepts a text the TOML library parses, no key the library reports is
// deeper than the scan's limit, so the walks after parsing stay cheap.
func FuzzCheckDepth(f *testing.F) {
	for _, s := range []string{
		"a.b.c = 1\n", "[a.b]\nc.d = {e = [1, {f.g = 2}]}\n", "[[a]]\n[a.b]\nx = 1\n",
		`"a.b" . c = 1`, "a = \"\"\"\n[b.c]\n\"\"\"\n", "x = [\n{a.b.c.d = 1},\n]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		if checkDepth(data) != nil {
			return
		}
		var tree map[string]any
		md, err := decodeTOML(data, &tree)
		if err != nil {
			return
		}
		for _, k := range md.Keys() {
			if len(k) > maxKeyDepth {
				t.Fatalf("scan accepted a key of %d parts: %v", len(k), k)
			}
		}
	})
}
