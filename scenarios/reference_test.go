package scenarios

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the format reference in ../README.md")

const (
	refBegin = "<!-- format:begin -->\n"
	refEnd   = "<!-- format:end -->"
)

// The README's format reference is the generated one: regenerate it with
// go test ./scenarios -run Reference -update.
func TestReadmeReference(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, refBegin), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the format:begin/format:end markers")
	}
	want := Reference()
	got := readme[i+len(refBegin) : j]
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(refBegin)] + want + readme[j:]
		if err := os.WriteFile("../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("README.md's format reference is out of date: run go test ./scenarios -run Reference -update")
}

// Every key the schema declares is documented with a meaning.
func TestReferenceComplete(t *testing.T) {
	ref := Reference()
	for _, tb := range allTables {
		for _, f := range tb.fields {
			if f.doc == "" {
				t.Errorf("%s.%s has no documentation", tb.path, f.key)
			}
			if !strings.Contains(ref, "| `"+f.key+"` |") {
				t.Errorf("reference lacks %s.%s", tb.path, f.key)
			}
		}
	}
}
