package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job/resultfile"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/sim"
)

// Integer flags of every command are plain decimal with no leading zeros
// (what --set and TOML accept), and a flag that is not repeatable is given
// once: the standard flag package would read 0100 as 64 and keep the last
// of two --strategy.
func TestFlagsOneRule(t *testing.T) {
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "guinea-2009", "--runs", "0100"}, `"0100" has a leading zero`},
		{[]string{"run", "guinea-2009", "--seed", "010"}, `"010" has a leading zero`},
		{[]string{"run", "guinea-2009", "--horizon", "012"}, `"012" has a leading zero`},
		{[]string{"run", "guinea-2009", "--runs", "0x10"}, `want a whole number in decimal digits`},
		{[]string{"run", "guinea-2009", "--runs", "1_000"}, `want a whole number in decimal digits`},
		{[]string{"compare", "guinea-2009", "--runs", "0100"}, `leading zero`},
		{[]string{"sweep", "guinea-2009", "--vary", "intervention.unowa.staff=1,2", "--seed", "07"}, `leading zero`},
		{[]string{"run", "guinea-2009", "--dpi", "072"}, `leading zero`},
		{[]string{"run", "guinea-2009", "--workers", "02"}, `leading zero`},
		{[]string{"replay", "x.json", "--workers", "0x2"}, `decimal digits`},
		{[]string{"run", "guinea-2009", "--shard", "01/4"}, `--shard wants I/N`},
		{[]string{"run", "guinea-2009", "--strategy", "none", "--strategy", "historical"}, `flag -strategy: given more than once`},
		{[]string{"run", "guinea-2009", "--runs", "10", "--runs", "20"}, `flag -runs: given more than once`},
		{[]string{"compare", "guinea-2009", "--format", "json", "--format", "csv"}, `flag -format: given more than once`},
		{[]string{"run", "guinea-2009", "--set", "intervention.unowa.staff", "3"}, `want PATH=VALUE with an '=' and no spaces around it (e.g. intervention.unowa.staff=VALUE)`},
		{[]string{"sweep", "guinea-2009", "--vary", "intervention.unowa.staff", "1,2"}, `want PATH=VALUE`},
		{[]string{"compare", "guinea-2009", "--vary", "=1,2"}, `want PATH=VALUE`},
		{[]string{"run", "guinea-2009", "--runs", "9223372036854775000", "--yes"}, `--runs must be at most 9007199254740992 (2^53)`},
		{[]string{"run", "guinea-2009", "--runs", "9007199254740993", "--yes", "--shard", "3/4"}, `--runs must be at most`},
		{[]string{"compare", "guinea-2009", "--ci-width", "0.01", "--max-runs", "9007199254740993"}, `--max-runs must be at most`},
		{[]string{"run", "guinea-2009", "--runs", "99999999999999999999"}, `flag -runs`},
	} {
		_, errs, code := escalate(t, test.args...)
		if code != 2 || !strings.Contains(errs, test.want) {
			t.Errorf("%d: %v: exit %d, stderr %q; want exit 2 and %q", i, test.args, code, errs, test.want)
		}
	}
	// Repeatable flags stay repeatable.
	if _, errs, code := escalate(t, "run", "guinea-2009", "--runs", "10", "--set", "intervention.unowa.staff=3", "--set", "intervention.unowa.consent=1"); code != 0 {
		t.Errorf("two --set: exit %d: %s", code, errs)
	}
	// The help still shows each flag's default.
	out, _, _ := escalate(t, "help", "run")
	if !strings.Contains(out, "--runs") || strings.Contains(out, "panic") {
		t.Errorf("help run: %s", out)
	}
}

// A scenario file's runs obey the same limit as --runs.
func TestRunsLimitInFile(t *testing.T) {
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "big.toml")
	text := "runs = 9007199254740993\n" + strings.Join(dropKey(strings.Split(string(src), "\n"), "runs"), "\n")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := escalate(t, "validate", path)
	if code == 0 || !strings.Contains(errs, "runs") || !strings.Contains(errs, "9007199254740992") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func dropKey(lines []string, key string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), key+" ") && !strings.HasPrefix(strings.TrimSpace(l), key+"=") {
			out = append(out, l)
		}
	}
	return out
}

// Shards of the largest allowed job split it exactly, with no overflow in
// the arithmetic.
func TestShardSpanLarge(t *testing.T) {
	for _, runs := range []int64{1, 7, 1000, sim.MaxRuns, math.MaxInt64} {
		for _, n := range []int64{1, 3, 4, 1000} {
			var next int64
			for i := range n {
				first, size := resultfile.Shard{Index: i, Count: n}.Span(runs)
				if first != next || size < 0 {
					t.Fatalf("runs %d, shard %d/%d: [%d, +%d), want start %d", runs, i, n, first, size, next)
				}
				next = first + size
			}
			if next != runs {
				t.Errorf("runs %d in %d shards cover %d", runs, n, next)
			}
		}
	}
}

// More workers than processors are not used: the job neither grows in
// memory nor looks faster to the estimate.
func TestWorkersCapped(t *testing.T) {
	fs := newFlagSet("run", "", "")
	var w int
	fs.IntVar(&w, "workers", 1, "")
	if _, err := fs.parse([]string{"--workers", "1000000"}, nil); err != nil {
		t.Fatal(err)
	}
	if w != maxWorkers() {
		t.Errorf("--workers 1000000 gives %d workers, want %d", w, maxWorkers())
	}
	// The estimate of a long job no longer shrinks with requested workers.
	_, errs, code := escalate(t, "run", "guinea-2009", "--runs", "5000000000", "--workers", "64")
	if code != 2 || !strings.Contains(errs, fmt.Sprintf("with %d workers", maxWorkers())) {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// A marker that cannot be read exactly vouches for nothing: --force
// refuses the directory and the user's file stays.
func TestForceMarkerMustBeExact(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"crlf":      func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"empty":     func(string) string { return "" },
		"header":    func(s string) string { return s[:strings.Index(s, ":\n")+2] },
		"truncated": func(s string) string { return s[:len(s)-3] },
		"nul":       func(s string) string { return s + "notes.txt\x00\n" },
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "u5")
			if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", dir, "--no-plots"); code != 0 {
				t.Fatal(errs)
			}
			marker := filepath.Join(dir, atomicfs.MarkerFile)
			data, err := os.ReadFile(marker)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(marker, []byte(edit(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
			notes := filepath.Join(dir, "notes.txt")
			if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", dir, "--no-plots", "--force")
			if code == 0 {
				t.Errorf("--force replaced a directory whose marker was %s", name)
			}
			if _, err := os.Stat(notes); err != nil {
				t.Errorf("the user's file is gone: %v (stderr %q)", err, errs)
			}
		})
	}
}

// --force replaces an intact output directory in one exchange and leaves
// no hidden directories behind; a killed run's partial directory is
// removed by the next run into the same place.
func TestForceLeavesNothingBehind(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "res")
	// A killed run's leftovers: a process id that cannot exist.
	stale := filepath.Join(parent, atomicfs.PartialPrefix("res")+"2147483646-123")
	if err := os.Mkdir(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", dir, "--no-plots", "--force"); code != 0 {
			t.Fatal(errs)
		}
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "res" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the output: %v, want only res", names)
	}
}

// Output directories that can only fail or surprise at the end are
// refused before the run, in the user's words, never with escalate's
// temporary names.
func TestOutDirRefusedEarly(t *testing.T) {
	parent := t.TempDir()
	t.Chdir(parent)
	if err := os.Symlink(filepath.Join(parent, "nowhere", "dir"), "dangling"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop", "loop"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("empty", 0o755); err != nil {
		t.Fatal(err)
	}
	scenario, err := filepath.Abs(filepath.Join(mustWd(t), "testdata/minimal.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, test := range []struct {
		dir, want string
	}{
		{"dangling", "--out dangling: is a symbolic link to"},
		{"loop", "--out loop:"},
		{".", "--out .: is the current directory or holds it"},
		{"..", "--out ..: is the current directory or holds it"},
	} {
		_, errs, code := escalate(t, "run", scenario, "--runs", "50", "--out", test.dir, "--no-plots", "--force")
		if code == 0 || !strings.Contains(errs, test.want) || strings.Contains(errs, ".partial-") {
			t.Errorf("%d: --out %s: exit %d, stderr %q; want %q", i, test.dir, code, errs, test.want)
		}
	}
	// An empty current directory named as ".." from a sub-directory is
	// also the current directory's parent: refused, and nothing is
	// written inside it.
	t.Chdir("empty")
	if _, _, code := escalate(t, "run", scenario, "--runs", "50", "--out", ".", "--no-plots"); code == 0 {
		t.Error("--out . in an empty directory was accepted")
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("left %d entries in the current directory", len(entries))
	}
}

var startDir, _ = os.Getwd()

func mustWd(t *testing.T) string {
	t.Helper()
	if startDir == "" {
		t.Fatal("no working directory")
	}
	return startDir
}

// An output directory that holds the command's own input, or results
// that charts alone would replace, is refused even with --force.
func TestOutDirKeepsInputsAndResults(t *testing.T) {
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", res, "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	scenario := filepath.Join(parent, "s.toml")
	src, _ := os.ReadFile("testdata/minimal.toml")
	if err := os.WriteFile(scenario, src, 0o644); err != nil {
		t.Fatal(err)
	}
	shards := filepath.Join(parent, "shards")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "50", "--out", shards, "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"plot", filepath.Join(res, "summary.json"), "--out", res, "--force"}, "which this command reads"},
		{[]string{"run", "testdata/minimal.toml", "--runs", "50", "--plots", res, "--force"}, "holds results (aggregates.json, months.csv, runs.csv, ...)"},
		{[]string{"compare", "testdata/minimal.toml", "--runs", "50", "--plots", res, "--force"}, "holds results"},
		{[]string{"merge", shards, "--out", shards, "--force"}, "which this command reads"},
		{[]string{"run", scenario, "--runs", "50", "--out", parent, "--force"}, ""}, // the parent is no escalate output: refused anyway
	} {
		before := listTree(t, res)
		_, errs, code := escalate(t, test.args...)
		if code == 0 || !strings.Contains(errs, test.want) {
			t.Errorf("%d: %v: exit %d, stderr %q; want %q", i, test.args, code, errs, test.want)
		}
		if after := listTree(t, res); strings.Join(after, ",") != strings.Join(before, ",") {
			t.Errorf("%d: the results changed: %v -> %v", i, before, after)
		}
	}
	// A directory of charts alone may be replaced by charts.
	charts := filepath.Join(parent, "charts")
	for range 2 {
		if _, errs, code := escalate(t, "plot", filepath.Join(res, "summary.json"), "--out", charts, "--force"); code != 0 {
			t.Fatalf("replacing charts with charts: %s", errs)
		}
	}
}

// merge checks each shard's runs.csv against its aggregates, and finds a
// shard copied and relabelled by its content, not its label.
func TestMergeChecksRowsAndContent(t *testing.T) {
	parent := t.TempDir()
	shardDir := func(name, i string) string {
		d := filepath.Join(parent, name)
		if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "30", "--no-plots", "--shard", i+"/3", "--out", d); code != 0 {
			t.Fatal(errs)
		}
		return d
	}
	fresh := func() []string { return []string{shardDir("a0", "0"), shardDir("a1", "1"), shardDir("a2", "2")} }
	edit := func(path string, fn func(string) string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(fn(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, test := range []struct {
		name   string
		damage func(dirs []string)
		want   string
	}{
		{"truncated", func(d []string) {
			edit(filepath.Join(d[1], "runs.csv"), func(s string) string { return s[:len(s)-20] })
		}, "ends without a newline"},
		{"rows missing", func(d []string) {
			edit(filepath.Join(d[1], "runs.csv"), func(s string) string {
				lines := strings.SplitAfter(s, "\n")
				return strings.Join(append(lines[:5], lines[6:]...), "")
			})
		}, "want run"},
		{"no final newline", func(d []string) {
			edit(filepath.Join(d[2], "runs.csv"), func(s string) string { return strings.TrimSuffix(s, "\n") })
		}, "ends without a newline"},
		{"swapped", func(d []string) {
			a, _ := os.ReadFile(filepath.Join(d[0], "runs.csv"))
			edit(filepath.Join(d[1], "runs.csv"), func(string) string { return string(a) })
		}, "want run 10"},
		{"foreign header", func(d []string) {
			edit(filepath.Join(d[1], "runs.csv"), func(s string) string { return strings.Replace(s, "run,country", "Run,Country", 1) })
		}, "header is not this shard's"},
		{"extra rows", func(d []string) {
			edit(filepath.Join(d[0], "runs.csv"), func(s string) string { return s + "10,x,latent,false,,0,0,0.1,0.00\n" })
		}, "rows beyond"},
		{"crlf", func(d []string) {
			edit(filepath.Join(d[1], "runs.csv"), func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") })
		}, "runs.csv:1"},
		{"relabelled copy", func(d []string) {
			a, _ := os.ReadFile(filepath.Join(d[1], "aggregates.json"))
			edit(filepath.Join(d[2], "aggregates.json"), func(string) string {
				return strings.Replace(string(a), `"index": 1`, `"index": 2`, 1)
			})
			os.Remove(filepath.Join(d[2], "runs.csv"))
			os.Remove(filepath.Join(d[1], "runs.csv"))
		}, "hold identical counts"},
	} {
		dirs := fresh()
		test.damage(dirs)
		_, errs, code := escalate(t, append([]string{"merge", "--out", filepath.Join(parent, "m"+fmt.Sprint(i))}, dirs...)...)
		if code == 0 || !strings.Contains(errs, test.want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", test.name, code, errs, test.want)
		}
		if _, err := os.Stat(filepath.Join(parent, "m"+fmt.Sprint(i))); err == nil {
			t.Errorf("%s: wrote a merged directory", test.name)
		}
		for _, d := range dirs {
			os.RemoveAll(d)
		}
	}
	// Intact shards merge to the whole run's runs.csv.
	dirs := fresh()
	whole := filepath.Join(parent, "whole")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "30", "--no-plots", "--out", whole); code != 0 {
		t.Fatal(errs)
	}
	merged := filepath.Join(parent, "merged")
	if _, errs, code := escalate(t, append([]string{"merge", "--out", merged, "--no-plots"}, dirs...)...); code != 0 {
		t.Fatal(errs)
	}
	a, _ := os.ReadFile(filepath.Join(whole, "runs.csv"))
	b, _ := os.ReadFile(filepath.Join(merged, "runs.csv"))
	if string(a) != string(b) {
		t.Error("merged runs.csv differs from the whole run's")
	}
}

// Ctrl-C while charts are drawn stops the writing at once: write returns
// within its half-second grace, nothing is committed, and the hidden
// directory goes when the chart in progress ends.
func TestInterruptWhileWriting(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	o, err := atomicfs.CreateDir(ctx, "--out", filepath.Join(parent, "res"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	release := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- o.Write("plots", func(dir string) error {
			os.MkdirAll(dir, 0o755)
			<-release // a chart being rasterised
			return os.WriteFile(filepath.Join(dir, "late.png"), []byte("x"), 0o644)
		})
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	sent := time.Now()
	select {
	case err := <-errc:
		if exitCode(err) != 130 {
			t.Errorf("write: %v, want the interrupt", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("write did not return after the interrupt")
	}
	if took := time.Since(sent); took > time.Second {
		t.Errorf("took %v to return", took)
	}
	if err := o.Commit(); exitCode(err) != 130 {
		t.Errorf("commit after the interrupt: %v", err)
	}
	close(release)
	for deadline := time.Now().Add(5 * time.Second); drawing(parent, "res"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hidden directory stays after the chart ended")
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}

// The same for the program: SIGINT or SIGTERM while plot draws large
// charts exits 130 or 143 within about a second and writes no output.
func TestSignalWhileDrawing(t *testing.T) {
	bin := buildEscalate(t)
	parent := t.TempDir()
	res := filepath.Join(parent, "res")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "200", "--out", res, "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	for _, test := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		out := filepath.Join(parent, "charts")
		cmd := exec.Command(bin, "plot", filepath.Join(res, "summary.json"), "--dpi", "400", "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); !drawing(parent, "charts"); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("plot never started writing")
			}
		}
		time.Sleep(100 * time.Millisecond)
		sent := time.Now()
		cpuBefore, cpuErr := processCPU(cmd.Process.Pid)
		cmd.Process.Signal(test.sig)
		err := cmd.Wait()
		// A second of grace, then main exits; 3 s leaves slack. On a
		// machine shared with other work the wall time after the signal
		// grows with the load (6 s was seen at a load average of 8 on 2
		// cores), so a longer wait passes when the process did not use 3 s
		// of CPU in it either (the CPU time counts every thread: GC
		// workers may use two cores at once, so it is not a bound on its
		// own). A hang fails at 20 s whatever the load. (At 1200 dpi the
		// rasteriser's assembly loops hold the Go scheduler for hundreds of
		// milliseconds at a time, so an exit can take several seconds
		// there; 400 dpi tests the rule.) A plot that ran to the end would
		// exit 0, which the code check sees.
		took := time.Since(sent)
		switch {
		case took > 20*time.Second:
			t.Errorf("%v: took %v", test.sig, took)
		case took > 3*time.Second && cpuErr != nil:
			t.Errorf("%v: took %v (no CPU figures: %v)", test.sig, took, cpuErr)
		case took > 3*time.Second:
			if after := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - cpuBefore; after > 3*time.Second {
				t.Errorf("%v: took %v, with %v of CPU after the signal", test.sig, took, after)
			}
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != test.code {
			t.Errorf("%v: %v, want exit %d", test.sig, err, test.code)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote %s", test.sig, out)
		}
	}
}

// processCPU returns the user and system CPU time process pid has used so
// far, from /proc (Linux).
func processCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// fields 14 and 15 (utime, stime) count from after its ")".
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	// The kernel's USER_HZ is 100 on every Linux that Go supports.
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// drawing reports whether a hidden partial directory of name exists in
// parent.
func drawing(parent, name string) bool {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), atomicfs.PartialPrefix(name)) {
			return true
		}
	}
	return false
}

// listTree lists the paths under dir, relative and sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// global-baseline's country at war is at war in every run, so its
// comparisons headline the country at peace unless asked otherwise.
func TestGlobalBaselineHeadline(t *testing.T) {
	out, errs, code := escalate(t, "compare", "global-baseline", "--runs", "300")
	if code != 0 || !strings.Contains(out, "Outcome: war in Country at peace") || strings.Contains(out, "cannot tell them apart") {
		t.Errorf("exit %d: %s%s", code, out, errs)
	}
	out, _, _ = escalate(t, "compare", "global-baseline", "--runs", "300", "--country", "any")
	if !strings.Contains(out, "Outcome: war in any of") {
		t.Errorf("--country any: %s", out)
	}
}

// Chart flags for papers and slides: size, font size, one chart by name,
// no title or caption; bad values are refused before anything runs.
func TestChartFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "charts")
	if _, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "200", "--plots", dir,
		"--width", "4", "--height", "3", "--dpi", "100", "--font-size", "9", "--no-title", "--no-caption", "--chart", "survival", "--chart", "outcomes"); code != 0 {
		t.Fatal(errs)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != ".escalate-output,outcomes.png,survival.png" {
		t.Errorf("wrote %v", names)
	}
	f, err := os.Open(filepath.Join(dir, "survival.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 400 || cfg.Height != 300 {
		t.Errorf("survival.png is %dx%d (%v), want 400x300", cfg.Width, cfg.Height, err)
	}
	for i, test := range []struct {
		args []string
		want string
	}{
		{[]string{"--width", "0.5"}, "--width must be between 1 and 40"},
		{[]string{"--font-size", "100"}, "--font-size must be between 4 and 48"},
		{[]string{"--font-size", "40"}, "too large for a chart"},
		{[]string{"--height", "NaN"}, "--height must be between"},
	} {
		args := append([]string{"run", "testdata/minimal.toml", "--runs", "50", "--plots", filepath.Join(t.TempDir(), "x")}, test.args...)
		_, errs, code := escalate(t, args...)
		if code != 2 || !strings.Contains(errs, test.want) {
			t.Errorf("%d: %v: exit %d, %q; want %q", i, test.args, code, errs, test.want)
		}
	}
}

// The fingerprint in every result hashes the scenario's canonical
// encoding: writing out a key at its default, or a comment, changes
// nothing; a value does.
func TestFingerprintCanonical(t *testing.T) {
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sha := func(text string) string {
		path := filepath.Join(dir, "s.toml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errs, code := escalate(t, "run", path, "--runs", "10", "--format", "json")
		if code != 0 {
			t.Fatal(errs)
		}
		var s struct {
			Provenance struct {
				SHA string `json:"scenario_sha256"`
			} `json:"provenance"`
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		return s.Provenance.SHA
	}
	base := sha(string(src))
	if got := sha("# a comment\nheadline = \"\"\n" + string(src)); got != base {
		t.Errorf("a default key and a comment changed the fingerprint: %s vs %s", got, base)
	}
	if got := sha("seed = 999\n" + strings.Join(dropKey(strings.Split(string(src), "\n"), "seed"), "\n")); got == base {
		t.Error("a new seed left the fingerprint unchanged")
	}
}

// runs.csv carries each run's consent draws and launch months, which
// agree exactly with the summary's shares.
func TestRunsCSVMissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, errs, code := escalate(t, "run", "workshop-intro", "--runs", "300", "--out", dir, "--no-plots"); code != 0 {
		t.Fatal(errs)
	}
	data, err := os.ReadFile(filepath.Join(dir, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
	head := strings.Split(lines[0], ",")
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var sum struct {
		Interventions []struct {
			ID         string  `json:"id"`
			StartMonth int     `json:"start_month"`
			PConsent   float64 `json:"p_consent"`
			PLaunched  float64 `json:"p_launched"`
		} `json:"interventions"`
	}
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	for _, iv := range sum.Interventions {
		ci, ok1 := col["consent_"+iv.ID]
		li, ok2 := col["launch_month_"+iv.ID]
		if !ok1 || !ok2 {
			t.Fatalf("no columns for %s in %v", iv.ID, head)
		}
		consented, launched := 0, 0
		for _, l := range lines[1:] {
			f := strings.Split(l, ",")
			if f[ci] == "true" {
				consented++
			}
			if f[li] != "" {
				launched++
				if iv.StartMonth >= 0 && f[li] != fmt.Sprint(iv.StartMonth) {
					t.Errorf("%s launched in month %s, scheduled for %d", iv.ID, f[li], iv.StartMonth)
				}
			}
		}
		if got := float64(consented) / 300; got != iv.PConsent {
			t.Errorf("%s: %v of runs.csv consented, summary says %v", iv.ID, got, iv.PConsent)
		}
		if got := float64(launched) / 300; got != iv.PLaunched {
			t.Errorf("%s: %v of runs.csv launched, summary says %v", iv.ID, got, iv.PLaunched)
		}
	}
}

// --streams v2 records its version: its results replay to the byte, differ
// from v1's, and do not merge with v1's shards.
func TestStreamsVersion(t *testing.T) {
	dir := t.TempDir()
	run := func(name string, args ...string) string {
		out := filepath.Join(dir, name)
		if _, errs, code := escalate(t, append([]string{"run", "guinea-2009", "--runs", "400", "--no-plots", "--out", out}, args...)...); code != 0 {
			t.Fatal(errs)
		}
		return out
	}
	v2 := run("v2", "--streams", "v2")
	v1 := run("v1")
	a, _ := os.ReadFile(filepath.Join(v1, "summary.json"))
	b, _ := os.ReadFile(filepath.Join(v2, "summary.json"))
	if string(a) == string(b) || !strings.Contains(string(b), `"streams": "v2"`) || strings.Contains(string(a), `"streams"`) {
		t.Error("v2's summary does not record its streams, or equals v1's")
	}
	if out, errs, code := escalate(t, "replay", filepath.Join(v2, "summary.json")); code != 0 {
		t.Errorf("replay of a v2 summary: exit %d: %s%s", code, out, errs)
	}
	s0 := run("s0", "--shard", "0/2")
	s1 := run("s1", "--shard", "1/2", "--streams", "v2")
	if _, errs, code := escalate(t, "merge", s0, s1); code == 0 {
		t.Error("shards of v1 and v2 merged")
	} else if !strings.Contains(errs, "not shards of the same run") {
		t.Errorf("merge of v1 and v2 shards: %s", errs)
	}
	if _, errs, code := escalate(t, "run", "guinea-2009", "--streams", "v3"); code != 2 || !strings.Contains(errs, "want v1 or v2") {
		t.Errorf("--streams v3: exit %d: %s", code, errs)
	}
}

// Every command that reads a file the user names refuses a FIFO or a
// device at once instead of hanging on it.
func TestInputsMustBeRegularFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for i, args := range [][]string{
		{"validate", fifo},
		{"run", fifo},
		{"replay", fifo},
		{"plot", fifo, "--out", filepath.Join(t.TempDir(), "p")},
		{"calibrate", fifo},
		{"calibrate", "--countries", fifo},
		{"calibrate", "/dev/zero"},
	} {
		done := make(chan struct{})
		var errs string
		var code int
		go func() { _, errs, code = escalate(t, args...); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d: %v hangs", i, args)
		}
		if code == 0 || !strings.Contains(errs, "not a regular file") {
			t.Errorf("%d: %v: exit %d, %q", i, args, code, errs)
		}
	}
}
