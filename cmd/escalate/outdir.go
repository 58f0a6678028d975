package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// outDir writes a directory of outputs atomically: every file goes into a
// hidden temporary directory beside the target, which is renamed into place
// only when everything has been written. An interrupted or failed run leaves
// nothing behind, and an existing directory is never half overwritten.
type outDir struct {
	// ctx stops the writing: after Ctrl-C or SIGTERM nothing more is
	// drawn or written, and nothing is committed.
	ctx   context.Context
	flag  string // "--out" or "--plots", for messages
	name  string // the directory as the user gave it, for messages
	final string // where it is written: name with symbolic links resolved
	tmp   string
	force bool
	done  bool
}

// createOutDir prepares the output directory name for a command that
// reads inputs (files or directories; names that are not files, such as a
// shipped scenario's, are ignored).
func createOutDir(ctx context.Context, flag, name string, force bool, inputs ...string) (*outDir, error) {
	return createDir(ctx, flag, name, force, false, inputs)
}

// createChartsDir prepares a directory that will hold charts only.
func createChartsDir(ctx context.Context, flag, name string, force bool, inputs ...string) (*outDir, error) {
	return createDir(ctx, flag, name, force, true, inputs)
}

func createDir(ctx context.Context, flag, name string, force, chartsOnly bool, inputs []string) (*outDir, error) {
	// Through a symbolic link, write where it points: replacing the
	// link itself would leave its target untouched. Messages name the
	// directory as given.
	name = filepath.Clean(name)
	path, err := outPath(flag, name)
	if err != nil {
		return nil, err
	}
	if err := replaceable(flag, name, path, force); err != nil {
		return nil, err
	}
	if err := keepsWhatMatters(flag, name, path, chartsOnly, inputs); err != nil {
		return nil, err
	}
	parent := filepath.Dir(path)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("%s %s: cannot create parent directory: %w", flag, name, err)
	}
	removeStalePartials(parent, filepath.Base(path))
	tmp, err := os.MkdirTemp(parent, partialPrefix(filepath.Base(path))+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot write here: %w", flag, name, err)
	}
	// Cleaned, as the paths built from it are ("./.x" would not match
	// ".x" when public rewrites messages).
	return &outDir{ctx: ctx, flag: flag, name: name, final: path, tmp: filepath.Clean(tmp), force: force}, nil
}

// replaceable reports whether escalate may write the directory path (named
// name on the command line) as a whole: it does not exist, is empty, or,
// with --force, is an output directory of escalate's to which nothing has
// been added. It is asked before a run and again just before the finished
// output replaces the directory, which the user may have changed meanwhile.
func replaceable(flag, name, path string, force bool) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: %w", flag, name, err)
	case !st.IsDir():
		return fmt.Errorf("%s %s: exists and is not a directory", flag, name)
	}
	empty, err := isEmptyDir(path)
	switch {
	case err != nil:
		return fmt.Errorf("%s %s: %w", flag, name, err)
	case empty:
		return nil
	case !force:
		return fmt.Errorf("%s %s: directory exists and is not empty; choose another or add --force to replace it", flag, name)
	case !isOutputDir(path):
		// --force replaces a directory wholesale: only one that
		// escalate wrote, never a user's folder of other files.
		return fmt.Errorf("%s %s: directory has no %s marker, so escalate did not write it (or an escalate older than the marker did); --force replaces only escalate's own output directories: choose another, or remove it yourself", flag, name, markerFile)
	}
	// Nor one in which the user has since put files of their own.
	extra, err := addedFiles(path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, name, err)
	}
	if len(extra) > 0 {
		more := ""
		if len(extra) > 5 {
			extra, more = extra[:5], fmt.Sprintf(" and %d more", len(extra)-5)
		}
		return fmt.Errorf("%s %s: escalate wrote this directory, but it now also holds %s%s, which --force would delete: move them, or choose another directory", flag, name, strings.Join(extra, ", "), more)
	}
	return nil
}

// keepsWhatMatters refuses to replace a directory that holds what the
// command reads (escalate plot res/summary.json --out res --force would
// delete its own input), or, for charts, one that holds results (run
// --plots res --force would swap a results folder for its charts).
func keepsWhatMatters(flag, name, path string, chartsOnly bool, inputs []string) error {
	for _, in := range inputs {
		if _, err := os.Stat(in); err != nil {
			continue // not a file: a shipped scenario's name
		}
		if within(in, path) {
			return fmt.Errorf("%s %s: holds %s, which this command reads; write the output to another directory", flag, name, in)
		}
	}
	if !chartsOnly {
		return nil
	}
	have, err := tree(path)
	if err != nil {
		return nil // nothing there, or replaceable has said why not
	}
	var results []string
	for _, f := range have {
		switch {
		case strings.HasSuffix(f, "/"), f == markerFile:
		case strings.HasSuffix(f, ".png"), strings.HasSuffix(f, ".svg"), strings.HasSuffix(f, ".pdf"):
		default:
			results = append(results, f)
		}
	}
	if len(results) > 0 {
		if len(results) > 3 {
			results = append(results[:3], "...")
		}
		return fmt.Errorf("%s %s: holds results (%s) that charts alone would replace; write the charts to another directory", flag, name, strings.Join(results, ", "))
	}
	return nil
}

// outPath is the absolute path, symbolic links resolved, at which the
// output directory name is written. It refuses, before any run, what can
// only fail or surprise at the end: a symbolic link to nothing, and the
// current directory or one that holds it (replacing it would pull the
// directory from under the user's shell).
func outPath(flag, name string) (string, error) {
	if st, err := os.Lstat(name); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(name); err != nil {
			target, _ := os.Readlink(name)
			return "", fmt.Errorf("%s %s: is a symbolic link to %s, which cannot be used (%v); create it or name another directory", flag, name, target, errors.Unwrap(err))
		}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", flag, name, err)
	}
	path := realPath(abs)
	if wd, err := os.Getwd(); err == nil {
		wd = realPath(wd)
		if rel, err := filepath.Rel(path, wd); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return "", fmt.Errorf("%s %s: is the current directory or holds it; name a new directory for the output, such as results", flag, name)
		}
	}
	return path, nil
}

// partialPrefix starts the name of the hidden directory in which the
// output directory base is written; the writing process's id follows, so
// that a later run can tell a killed run's leftovers from a live one's.
func partialPrefix(base string) string { return "." + base + ".partial-" }

// removeStalePartials removes what runs killed while writing base into
// parent left behind: partial directories whose process no longer exists.
func removeStalePartials(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := partialPrefix(base)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// realPath is path with the symbolic links of its existing part resolved
// (a path that does not exist yet keeps its missing tail).
func realPath(path string) string {
	path = filepath.Clean(path)
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	dir, base := filepath.Split(path)
	if dir == "" || filepath.Clean(dir) == path {
		return path
	}
	return filepath.Join(realPath(dir), base)
}

// markerFile marks a directory as escalate's output, which --force may
// replace.
const markerFile = ".escalate-output"

func isOutputDir(path string) bool {
	st, err := os.Lstat(filepath.Join(path, markerFile))
	return err == nil && st.Mode().IsRegular()
}

func isEmptyDir(path string) (bool, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// path returns where file name is being written.
func (o *outDir) path(name string) string { return filepath.Join(o.tmp, name) }

// writeFile writes one complete file into the directory.
func (o *outDir) writeFile(name string, data []byte) error {
	if err := os.WriteFile(o.path(name), data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(o.name, name), err)
	}
	return nil
}

// markerHeader starts the marker file; the paths escalate wrote follow it,
// one a line, so that --force can tell files added since.
const markerHeader = "This directory was written by escalate; --force may replace it as a whole\nif it holds only these files:\n"

// tree returns the files and directories under dir (directories with a
// trailing "/"), relative and slash-separated, sorted.
func tree(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, rel)
		return nil
	})
	sort.Strings(out)
	return out, err
}

// errUnreadableMarker is a marker that is not exactly as escalate writes
// it: empty, edited, or with its line endings converted (git autocrlf, a
// Windows editor). It vouches for nothing.
var errUnreadableMarker = errors.New("its " + markerFile + " marker is not as escalate wrote it (empty, edited, or with converted line endings), so it cannot tell escalate's files from yours; remove the directory yourself or choose another")

// addedFiles lists what an escalate output directory holds beyond the
// files its marker lists. A marker that cannot be read exactly vouches for
// nothing: it is an error, never an empty list.
func addedFiles(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, markerFile))
	if err != nil {
		return nil, err
	}
	listed, ok := strings.CutPrefix(string(data), markerHeader)
	if !ok || strings.ContainsAny(listed, "\r\x00") || (listed != "" && !strings.HasSuffix(listed, "\n")) {
		return nil, errUnreadableMarker
	}
	listed = strings.TrimSuffix(listed, "\n")
	known := map[string]bool{markerFile: true}
	// Files a file browser leaves in any folder it shows.
	junk := func(f string) bool {
		base := path.Base(strings.TrimSuffix(f, "/"))
		return base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini"
	}
	for _, l := range strings.Split(listed, "\n") {
		known[l] = true
	}
	have, err := tree(dir)
	if err != nil {
		return nil, err
	}
	var extra []string
	for _, f := range have {
		if !known[f] && !junk(f) {
			extra = append(extra, f)
		}
	}
	return extra, nil
}

// commit moves the finished directory into place.
func (o *outDir) commit() error {
	if o.ctx.Err() != nil {
		return errInterrupted
	}
	files, err := tree(o.tmp)
	if err != nil {
		return fmt.Errorf("%s %s: %w", o.flag, o.name, err)
	}
	marker := markerHeader + strings.Join(files, "\n") + "\n"
	if err := o.writeFile(markerFile, []byte(marker)); err != nil {
		return err
	}
	if err := os.Chmod(o.tmp, 0o755); err != nil {
		return fmt.Errorf("%s %s: %w", o.flag, o.name, err)
	}
	// The user may have created or changed the directory during the run:
	// then the finished output is kept beside it, not thrown away.
	if err := replaceable(o.flag, o.name, o.final, o.force); err != nil {
		kept := o.final + ".new"
		for i := 2; ; i++ {
			if _, serr := os.Lstat(kept); errors.Is(serr, fs.ErrNotExist) {
				break
			}
			kept = fmt.Sprintf("%s.new%d", o.final, i)
		}
		if rerr := os.Rename(o.tmp, kept); rerr != nil {
			return fmt.Errorf("%w (it changed during the run; nothing was written)", err)
		}
		o.done = true
		return fmt.Errorf("%w (it changed during the run, so it was left as it is; the new output is in %s)", err, filepath.Join(filepath.Dir(o.name), filepath.Base(kept)))
	}
	var old string
	if _, err := os.Stat(o.final); err == nil {
		old = o.tmp
		if err := exchange(o.tmp, o.final); err == nil {
			// The old directory is now at o.tmp.
			o.done = true
		} else if !errors.Is(err, errors.ErrUnsupported) {
			return o.public(fmt.Errorf("%s %s: cannot replace it: %w", o.flag, o.name, err))
		} else {
			old = o.tmp + ".old"
			if err := os.Rename(o.final, old); err != nil {
				return o.public(fmt.Errorf("%s %s: cannot replace it: %w", o.flag, o.name, err))
			}
		}
	}
	if !o.done {
		if err := os.Rename(o.tmp, o.final); err != nil {
			if old != "" {
				os.Rename(old, o.final)
			}
			return o.public(fmt.Errorf("%s %s: %w", o.flag, o.name, err))
		}
	}
	o.done = true
	if old != "" {
		// A file added in the instant between the check and the rename
		// is not deleted: the old directory is left where it is.
		if err := replaceable(o.flag, o.name, old, true); err != nil {
			return fmt.Errorf("%s %s: written; the directory it replaced is kept as %s (%v)", o.flag, o.name, old, err)
		}
		os.RemoveAll(old)
	}
	return nil
}

// write lets fn write files into the sub-directory sub ("" for the
// directory itself) and reports its errors with the directory's final
// name.
//
// Drawing a chart cannot be stopped half-way, so fn runs on its own: when
// the context is cancelled, write returns at once and the temporary
// directory is removed when fn ends (or, should the process exit first,
// by the next run into the same place).
func (o *outDir) write(sub string, fn func(dir string) error) error {
	if err := o.ctx.Err(); err != nil {
		return errInterrupted
	}
	done := make(chan error, 1)
	go func() { done <- fn(filepath.Join(o.tmp, sub)) }()
	select {
	case err := <-done:
		if o.ctx.Err() != nil {
			return errInterrupted
		}
		return o.public(err)
	case <-o.ctx.Done():
		// Removing the directory under fn would not stop it (it creates
		// the directories it writes into), so it is removed when fn
		// ends: now, if fn ends within a moment, else in the background.
		o.done = true
		tmp := o.tmp
		select {
		case <-done:
			os.RemoveAll(tmp)
		case <-time.After(500 * time.Millisecond):
			go func() {
				<-done
				os.RemoveAll(tmp)
			}()
		}
		return errInterrupted
	}
}

// public rewrites the temporary directory in an error's message as the
// directory the user named, which is what the user can look for.
func (o *outDir) public(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.ReplaceAll(err.Error(), o.tmp, o.name)
	if !strings.Contains(msg, o.name) {
		// An error that names no file (a chart that cannot be drawn):
		// say where it was being written.
		msg = o.flag + " " + o.name + ": " + msg
	}
	if msg == err.Error() {
		return err
	}
	return &renamedError{msg: msg, err: err}
}

// renamedError is an error with a rewritten message that still unwraps to
// the original.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }

// abort removes the temporary directory unless commit succeeded. A nil
// outDir (no such flag given) has nothing to remove.
func (o *outDir) abort() {
	if o != nil && !o.done {
		os.RemoveAll(o.tmp)
	}
}

// writeResult writes NAME.json (v), NAME.csv (its provenance comment, then
// writeCSV's rows) and, if charts is not nil, the charts in out/plots, and
// commits the directory.
func writeResult(out *outDir, name string, v any, p provenance, writeCSV func(io.Writer), charts func(dir string) error) error {
	data, err := marshalJSON(v)
	if err != nil {
		return err
	}
	if err := out.writeFile(name+".json", data); err != nil {
		return err
	}
	if err := writeCSVFile(out, name+".csv", p, func(w io.Writer) error {
		writeCSV(w)
		return nil
	}); err != nil {
		return err
	}
	if charts != nil {
		if err := out.write("plots", charts); err != nil {
			return err
		}
	}
	return out.commit()
}
