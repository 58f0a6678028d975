package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmePath is the README whose example outputs TestReadmeExamples checks.
const readmePath = "../../README.md"

// elapsed matches the run time a table reports, which differs from run to
// run.
var elapsed = regexp.MustCompile(`, \d+\.\d+ s$`)

// Every "$ escalate ..." block in the README shows what the command
// prints today (stdout, then stderr, as in a terminal). A block may elide
// lines with a line "...". Run with -update to rewrite blocks without
// elisions from the real output; blocks with elisions are edited by hand.
func TestReadmeExamples(t *testing.T) {
	readme, err := filepath.Abs(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	// Commands on files run where the README's example files live.
	t.Chdir("testdata/readme")
	lines := strings.Split(string(data), "\n")
	changed, checked := false, 0
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```" || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ escalate ") {
			continue
		}
		start := i + 2 // the first line of output
		end := start
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		checked++
		cmdLine := strings.TrimPrefix(lines[i+1], "$ escalate ")
		want := lines[start:end]
		got := readmeOutput(t, cmdLine)
		// The run time: keep the README's.
		for k := range got {
			if k < len(want) && elapsed.MatchString(got[k]) && elapsed.MatchString(want[k]) {
				got[k] = elapsed.ReplaceAllString(got[k], elapsed.FindString(want[k]))
			}
		}
		if !matchElided(want, got) {
			if *update && !containsLine(want, "...") {
				lines = append(lines[:start], append(got, lines[end:]...)...)
				end = start + len(got)
				changed = true
			} else {
				t.Errorf("README.md:%d: escalate %s prints\n%s\nwant\n%s\n(rerun with -update to rewrite blocks without \"...\")",
					i+2, cmdLine, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		i = end
	}
	if checked < 5 {
		t.Errorf("%s has %d example blocks, want the README's examples (a block is \"```\" then \"$ escalate ...\")", readmePath, checked)
	}
	if changed {
		if err := os.WriteFile(readme, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readmeOutput runs a README command line.
func readmeOutput(t *testing.T, cmdLine string) []string {
	t.Helper()
	stdout, stderr, _ := escalate(t, strings.Fields(cmdLine)...)
	return strings.Split(strings.TrimRight(stdout+stderr, "\n"), "\n")
}

// matchElided reports whether got matches want, where a line "..." in
// want stands for any number of lines.
func matchElided(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "..." {
		for k := 0; k <= len(got); k++ {
			if matchElided(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && got[0] == want[0] && matchElided(want[1:], got[1:])
}

func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
