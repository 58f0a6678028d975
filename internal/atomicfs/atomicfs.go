// Package atomicfs writes files and directories so that no reader ever
// sees them half written: a file goes through a temporary file renamed
// over it, a directory of outputs through a hidden temporary directory
// renamed into place when everything is written. The command line's
// --out and --plots directories and the charts of package plots are
// written through it.
package atomicfs

import (
	"bufio"
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

// ErrInterrupted is what writing returns once its context is cancelled
// (Ctrl-C or SIGTERM): nothing more is written and nothing committed.
var ErrInterrupted = errors.New("interrupted; no output written")

// Dir writes a directory of outputs atomically: every file goes into a
// hidden temporary directory beside the target, which is renamed into place
// only when everything has been written. An interrupted or failed run leaves
// nothing behind, and an existing directory is never half overwritten.
type Dir struct {
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

// CreateDir prepares the directory name, given on the command line as
// flag (for messages): it must not exist, be empty, or with force be an
// output directory of escalate's to which nothing has been added. It must
// not hold any of inputs, the files or directories the command reads
// (names that are not files, such as a shipped scenario's, are ignored).
// Writing stops when ctx is cancelled.
func CreateDir(ctx context.Context, flag, name string, force bool, inputs ...string) (*Dir, error) {
	return createDir(ctx, flag, name, force, false, inputs)
}

// CreateChartsDir is CreateDir for a directory that will hold charts
// only: it may replace a directory of charts, never one of results.
func CreateChartsDir(ctx context.Context, flag, name string, force bool, inputs ...string) (*Dir, error) {
	return createDir(ctx, flag, name, force, true, inputs)
}

func createDir(ctx context.Context, flag, name string, force, chartsOnly bool, inputs []string) (*Dir, error) {
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
	tmp, err := os.MkdirTemp(parent, PartialPrefix(filepath.Base(path))+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot write here: %w", flag, name, err)
	}
	// Cleaned, as the paths built from it are ("./.x" would not match
	// ".x" when public rewrites messages).
	return &Dir{ctx: ctx, flag: flag, name: name, final: path, tmp: filepath.Clean(tmp), force: force}, nil
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
		return fmt.Errorf("%s %s: directory has no %s marker, so escalate did not write it (or an escalate older than the marker did); --force replaces only escalate's own output directories: choose another, or remove it yourself", flag, name, MarkerFile)
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
		if Within(in, path) {
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
		case strings.HasSuffix(f, "/"), f == MarkerFile:
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
	path := RealPath(abs)
	if wd, err := os.Getwd(); err == nil {
		wd = RealPath(wd)
		if rel, err := filepath.Rel(path, wd); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return "", fmt.Errorf("%s %s: is the current directory or holds it; name a new directory for the output, such as results", flag, name)
		}
	}
	return path, nil
}

// PartialPrefix starts the name of the hidden directory in which the
// output directory base is written; the writing process's id follows, so
// that a later run can tell a killed run's leftovers from a live one's.
func PartialPrefix(base string) string { return "." + base + ".partial-" }

// removeStalePartials removes what runs killed while writing base into
// parent left behind: partial directories whose process no longer exists.
func removeStalePartials(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := PartialPrefix(base)
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

// RealPath is path with the symbolic links of its existing part resolved
// (a path that does not exist yet keeps its missing tail).
func RealPath(path string) string {
	path = filepath.Clean(path)
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	dir, base := filepath.Split(path)
	if dir == "" || filepath.Clean(dir) == path {
		return path
	}
	return filepath.Join(RealPath(dir), base)
}

// MarkerFile marks a directory as escalate's output, which --force may
// replace.
const MarkerFile = ".escalate-output"

func isOutputDir(path string) bool {
	st, err := os.Lstat(filepath.Join(path, MarkerFile))
	return err == nil && st.Mode().IsRegular()
}

func isEmptyDir(path string) (bool, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// Name is the directory as the user gave it, cleaned.
func (o *Dir) Name() string { return o.name }

// Path returns where file name is being written.
func (o *Dir) Path(name string) string { return filepath.Join(o.tmp, name) }

// WriteFile writes one complete file into the directory.
func (o *Dir) WriteFile(name string, data []byte) error {
	if err := os.WriteFile(o.Path(name), data, 0o644); err != nil {
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
var errUnreadableMarker = errors.New("its " + MarkerFile + " marker is not as escalate wrote it (empty, edited, or with converted line endings), so it cannot tell escalate's files from yours; remove the directory yourself or choose another")

// addedFiles lists what an escalate output directory holds beyond the
// files its marker lists. A marker that cannot be read exactly vouches for
// nothing: it is an error, never an empty list.
func addedFiles(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, MarkerFile))
	if err != nil {
		return nil, err
	}
	listed, ok := strings.CutPrefix(string(data), markerHeader)
	if !ok || strings.ContainsAny(listed, "\r\x00") || (listed != "" && !strings.HasSuffix(listed, "\n")) {
		return nil, errUnreadableMarker
	}
	listed = strings.TrimSuffix(listed, "\n")
	known := map[string]bool{MarkerFile: true}
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

// Commit moves the finished directory into place.
func (o *Dir) Commit() error {
	if o.ctx.Err() != nil {
		return ErrInterrupted
	}
	files, err := tree(o.tmp)
	if err != nil {
		return fmt.Errorf("%s %s: %w", o.flag, o.name, err)
	}
	marker := markerHeader + strings.Join(files, "\n") + "\n"
	if err := o.WriteFile(MarkerFile, []byte(marker)); err != nil {
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

// Write lets fn write files into the sub-directory sub ("" for the
// directory itself) and reports its errors with the directory's final
// name.
//
// Drawing a chart cannot be stopped half-way, so fn runs on its own: when
// the context is cancelled, write returns at once and the temporary
// directory is removed when fn ends (or, should the process exit first,
// by the next run into the same place).
func (o *Dir) Write(sub string, fn func(dir string) error) error {
	if err := o.ctx.Err(); err != nil {
		return ErrInterrupted
	}
	done := make(chan error, 1)
	go func() { done <- fn(filepath.Join(o.tmp, sub)) }()
	select {
	case err := <-done:
		if o.ctx.Err() != nil {
			return ErrInterrupted
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
		return ErrInterrupted
	}
}

// public rewrites the temporary directory in an error's message as the
// directory the user named, which is what the user can look for.
func (o *Dir) public(err error) error {
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

// Abort removes the temporary directory unless commit succeeded. A nil
// outDir (no such flag given) has nothing to remove.
func (o *Dir) Abort() {
	if o != nil && !o.done {
		os.RemoveAll(o.tmp)
	}
}

// Within reports whether path is dir or lies inside it.
func Within(path, dir string) bool {
	a, err1 := filepath.Abs(RealPath(path))
	b, err2 := filepath.Abs(RealPath(dir))
	if err1 != nil || err2 != nil {
		return filepath.Clean(path) == filepath.Clean(dir)
	}
	rel, err := filepath.Rel(b, a)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// WriteFile writes a file through a temporary file in the same directory,
// renamed over path once complete, so that readers never see a partial
// file and a failed write leaves the old file in place. The error of write
// is returned as it is; others name path.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	if err = write(bw); err != nil {
		return err
	}
	osErr := func(err error) error { return fmt.Errorf("writing %s: %w", path, err) }
	if err = bw.Flush(); err != nil {
		return osErr(err)
	}
	if err = f.Sync(); err != nil {
		return osErr(err)
	}
	if err = f.Close(); err != nil {
		return osErr(err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return osErr(err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return osErr(err)
	}
	return nil
}
