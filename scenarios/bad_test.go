package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badFiles returns the malformed scenarios of testdata/bad.
func badFiles(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/bad/*.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/bad/*.toml: %v", err)
	}
	return paths
}

// Each malformed file gets every one of its problems in one pass, in file
// order, each with its line and key: the golden NAME.err lists them
// (go test ./scenarios -run BadFiles -update rewrites them).
func TestBadFiles(t *testing.T) {
	for _, path := range badFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(path, data)
		es := AsErrors(err)
		if len(es) == 0 {
			t.Errorf("%s: err = %v, want a list of scenario errors", path, err)
			continue
		}
		var b strings.Builder
		for _, e := range es {
			if e.Line == 0 && e.Key != "country" {
				t.Errorf("%s: an error without a line: %v", path, e)
			}
			b.WriteString(e.Error() + "\n")
		}
		golden := strings.TrimSuffix(path, ".toml") + ".err"
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("%s: errors\n%s\nwant (%s)\n%s", path, b.String(), golden, want)
		}
	}
}
