package atomicfs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeOutput makes an escalate output directory at dir with one file.
func writeOutput(t *testing.T, dir string, force bool) error {
	t.Helper()
	o, err := CreateDir(context.Background(), "--out", dir, force)
	if err != nil {
		return err
	}
	defer o.Abort()
	if err := o.WriteFile("summary.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(o.Path("plots"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := o.WriteFile("plots/a.png", []byte("png")); err != nil {
		t.Fatal(err)
	}
	return o.Commit()
}

func TestForceKeepsAddedFiles(t *testing.T) {
	for i, test := range []struct {
		added string // a file the user adds to the output directory
		ok    bool   // --force may replace the directory
	}{
		{"", true},
		{"notes.md", false},
		{"plots/mine.png", false},
		{"mine/", false},
		// What file browsers leave behind is not the user's work.
		{".DS_Store", true},
		{"plots/Thumbs.db", true},
		// A file of the user's that only looks like one is kept.
		{"._notes", false},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		if err := writeOutput(t, dir, false); err != nil {
			t.Fatal(err)
		}
		if test.added != "" {
			p := filepath.Join(dir, test.added)
			var err error
			if strings.HasSuffix(test.added, "/") {
				err = os.Mkdir(p, 0o755)
			} else {
				err = os.WriteFile(p, []byte("mine"), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		err := writeOutput(t, dir, true)
		if (err == nil) != test.ok {
			t.Errorf("%d: adding %q: --force gave %v", i, test.added, err)
		}
		if !test.ok {
			if _, serr := os.Stat(filepath.Join(dir, test.added)); serr != nil || !strings.Contains(err.Error(), strings.TrimSuffix(test.added, "/")) {
				t.Errorf("%d: %q lost or not named: %v", i, test.added, err)
			}
		}
	}
}

// A file added to the directory while the run goes on is not deleted when
// the finished output takes the directory's place.
func TestForceRechecksAtCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := writeOutput(t, dir, false); err != nil {
		t.Fatal(err)
	}
	o, err := CreateDir(context.Background(), "--out", dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	if err := o.WriteFile("summary.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = o.Commit()
	if err == nil || !strings.Contains(err.Error(), "it changed during the run, so it was left as it is; the new output is in "+dir+".new") {
		t.Errorf("commit = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir+".new", "summary.json")); err != nil {
		t.Errorf("the finished output was not kept: %v", err)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "mine" {
		t.Errorf("the added file: %q, %v", data, err)
	}

	// The same for a directory that did not exist when the run began.
	fresh := filepath.Join(t.TempDir(), "fresh")
	o, err = CreateDir(context.Background(), "--out", fresh, false)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	if err := os.MkdirAll(fresh, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fresh, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err == nil {
		t.Error("commit replaced a directory created during the run")
	}
	if _, err := os.Stat(filepath.Join(fresh, "x")); err != nil {
		t.Errorf("the file created during the run: %v", err)
	}
}

// Errors about files being written name the directory the user gave, not
// the hidden temporary one, and still unwrap to their cause.
func TestOutDirPublicErrors(t *testing.T) {
	o := &Dir{flag: "--out", name: "results", final: "/real/results", tmp: "/real/.results.partial-123"}
	err := o.public(fmt.Errorf("writing charts: plots: writing %s/plots/outcomes.png: %w", o.tmp, os.ErrPermission))
	if got, want := err.Error(), "writing charts: plots: writing results/plots/outcomes.png: permission denied"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(err, os.ErrPermission) {
		t.Error("the rewritten error lost its cause")
	}
	if o.public(nil) != nil {
		t.Error("public(nil) is not nil")
	}
	// An error that names no file says which directory it was for.
	if got, want := o.public(errors.New("writing charts: plots: the summary has no runs")).Error(),
		"--out results: writing charts: plots: the summary has no runs"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// The staging directory as MkdirTemp names it in the working directory.
	dir := t.TempDir()
	t.Chdir(dir)
	out, err := CreateDir(context.Background(), "--plots", "charts", false)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort()
	err = out.Write("", func(d string) error {
		return fmt.Errorf("write %s: file too large", filepath.Join(d, ".dashboard.png.1.tmp"))
	})
	if got, want := err.Error(), "write charts/.dashboard.png.1.tmp: file too large"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
