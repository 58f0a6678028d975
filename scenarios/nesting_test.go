package scenarios

import (
	"strings"
	"testing"
)

func TestNestingLine(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	for i, test := range []struct {
		toml string
		line int
	}{
		{"a = 1\n[country.x]\nmomentum = { war = 0.1 }\n", 0},
		{"[[a.b]]\nx = [[1, 2], [3]]\n", 0},
		{"a = " + deep("{b = ", "}", 8) + "\n", 0},
		{"a = " + deep("{b = ", "}", 9) + "\n", 1},
		{"\n\nx = " + deep("[", "]", 9) + "\n", 3},
		// Braces in strings and comments do not count.
		{`s = "` + strings.Repeat("{", 50) + `"` + "\n# " + strings.Repeat("[", 50) + "\nt = '" + strings.Repeat("{", 50) + "'\n", 0},
		{"d = \"\"\"\n" + strings.Repeat("{", 50) + "\n\"\"\"\nx = " + deep("[", "]", 9), 4},
		{`e = "a \" {{{{{{{{{{"` + "\n", 0},
	} {
		if got := nestingLine([]byte(test.toml)); got != test.line {
			t.Errorf("%d: nestingLine = %d, want %d", i, got, test.line)
		}
	}
}

// A file nested tens of thousands deep is refused before the TOML parser
// spends quadratic time and memory on it.
func TestDeepFileRefusedEarly(t *testing.T) {
	data := []byte("x = " + strings.Repeat("{a = ", 20000) + "1" + strings.Repeat("}", 20000))
	_, err := Parse("deep.toml", data)
	if err == nil || !strings.Contains(err.Error(), "deep.toml:1: inline tables or arrays nested more than 8 deep") {
		t.Errorf("err = %v", err)
	}
	o, err := ParseOverride("intervention.envoy.effect=" + strings.Repeat("{a = ", 20000) + "1" + strings.Repeat("}", 20000))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := o.Value.(string); !ok {
		t.Errorf("a --set value nested 20000 deep was parsed as %T", o.Value)
	}
}
