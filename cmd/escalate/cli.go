package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/escalate-sim/escalate/scenarios"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
)

// version is the tool's version, recorded in every summary so a result can
// be traced to the code that made it.
const version = "0.1.0"

// toolVersion returns the version with the module version from the build,
// when the binary was built from a tagged module.
func toolVersion() string {
	v := "escalate " + version
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v += " (" + bi.Main.Version + ")"
	}
	return v
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errInterrupted reports a run stopped by Ctrl-C or SIGTERM: exit 130.
var errInterrupted = errors.New("interrupted; no output written")

// errSilent is a failure already reported (for example by validate, which
// prints each problem): exit 1 with no further message.
var errSilent = errors.New("")

// failed returns err, or errInterrupted when the context was cancelled
// (the run stopped because of Ctrl-C or SIGTERM, not because of err).
func failed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errInterrupted
	}
	return err
}

func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

// runFunc is a command's entry point, also called by replay (cmdCompare,
// cmdSweep) and by tests.
type runFunc = func(ctx context.Context, args []string, stdout, stderr io.Writer) error

type command struct {
	name    string
	args    string
	summary string
	run     runFunc
}

func commands() []command {
	return []command{
		{"run", "SCENARIO [flags]", "simulate a scenario and report the distribution of outcomes", cmdRun},
		{"compare", "SCENARIO | A.toml B.toml", "compare strategies with common random numbers and paired intervals", cmdCompare},
		{"sweep", "SCENARIO --vary PATH=FROM:TO:STEP", "run a scenario over a range of one or two parameters", cmdSweep},
		{"plot", "FILE.json --out DIR", "redraw the charts of a saved summary, comparison or sweep", cmdPlot},
		{"merge", "DIR...", "combine the outputs of sharded runs into one result", cmdMerge},
		{"replay", "RESULT.json", "re-run a saved summary's, comparison's or sweep's job and confirm the same bytes", cmdReplay},
		{"serve", "[SCENARIO] [--listen ADDR]", "open the workshop page: live what-ifs in a browser, for a projector", cmdServe},
		{"validate", "FILE...", "check scenario files and report every problem with its line and key", cmdValidate},
		{"list", "", "list the shipped scenarios", cmdList},
		{"show", "NAME", "print a shipped scenario's TOML, to copy and edit", cmdShow},
		{"help", "[COMMAND | format]", "show help for a command, or the scenario format reference", cmdHelp},
	}
}

// run is the whole program: main only wires it to the process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given")
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		printUsage(stdout)
		return nil
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, toolVersion())
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			out := &stickyWriter{w: stdout}
			err := c.run(ctx, args[1:], out, stderr)
			if errors.Is(err, flag.ErrHelp) {
				err = nil
			}
			if err == nil && out.err != nil {
				// A table sent to a full disk (escalate run x > report.txt)
				// must not look like success.
				return fmt.Errorf("writing the output: %w", out.err)
			}
			return err
		}
	}
	printUsage(stderr)
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if s := scenarios.Suggest(name, names); s != "" {
		return usagef("unknown command %q (did you mean %s?)", name, s)
	}
	return usagef("unknown command %q", name)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `escalate simulates how tension in a country moves through three stages
(latent, escalating, war) and what mission components (mediation, rule of
law, monitoring) change, over thousands of runs.

Usage:
  escalate COMMAND [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Start with:
  escalate list
  escalate run guinea-2009
  escalate run guinea-2009 --strategy none

Run "escalate help COMMAND" for a command's flags and "escalate help format"
for every key of a scenario file; "escalate version" prints the version.
`)
}

// flagSet is a subcommand's flags with its usage text.
type flagSet struct {
	*flag.FlagSet
	args, doc string
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints nothing by itself.
func newFlagSet(name, args, doc string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{fs, args, doc}
}

func (fs *flagSet) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: escalate %s %s\n\n%s\n", fs.Name(), fs.args, strings.TrimSpace(fs.doc))
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// isSet reports whether the flag was given on the command line.
func (fs *flagSet) isSet(name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parse parses flags that may come before, between or after the
// positional arguments (escalate run guinea-2009 --runs 1000), which the
// standard flag package alone does not allow. -h prints the help to stdout
// and returns flag.ErrHelp.
func (fs *flagSet) parse(args []string, stdout io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printHelp(stdout)
				return nil, err
			}
			return nil, usagef("%s: %v (see escalate help %s)", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 || rest[0] == "--" {
			if len(rest) > 0 {
				pos = append(pos, rest[1:]...)
			}
			return pos, fs.checkCounts()
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// countFlags are flags whose 0 means "the scenario's (or machine's)
// default" when left out, so that an explicit 0 or a negative value is a
// mistake to report rather than a default to fall back to silently.
var countFlags = []string{"runs", "horizon", "workers", "max-runs"}

func (fs *flagSet) checkCounts() error {
	for _, name := range countFlags {
		f := fs.Lookup(name)
		if f == nil || !fs.isSet(name) {
			continue
		}
		if n, err := strconv.ParseInt(f.Value.String(), 10, 64); err == nil && n <= 0 {
			return usagef("%s: --%s must be positive, got %d", fs.Name(), name, n)
		}
	}
	// An empty directory (--out "" from an unset shell variable) would
	// otherwise mean "write nothing", silently.
	for _, name := range []string{"out", "plots"} {
		if f := fs.Lookup(name); f != nil && fs.isSet(name) && strings.TrimSpace(f.Value.String()) == "" {
			return usagef("%s: --%s wants a directory, got an empty name", fs.Name(), name)
		}
	}
	// Seeds are those a scenario file can hold (a TOML integer), so that
	// every run can be written back as a scenario.
	if f := fs.Lookup("seed"); f != nil && fs.isSet("seed") {
		if _, err := strconv.ParseInt(f.Value.String(), 10, 64); err != nil {
			return usagef("%s: --seed must be between 0 and 2^63-1, got %s", fs.Name(), f.Value)
		}
	}
	return nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

// oneVary is compare's --vary: one key path, given once. A second --vary
// is an error rather than silently replacing the first (sweep varies two).
type oneVary struct{ value string }

func (o *oneVary) String() string { return o.value }
func (o *oneVary) Set(s string) error {
	if o.value != "" {
		return errors.New("compare varies one key; to vary two, use escalate sweep with two --vary")
	}
	o.value = s
	return nil
}

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// stickyWriter passes writes on to w and remembers the first error, so
// that commands can print with fmt.Fprint* and run still reports a failed
// write once, at the end. After an error it writes nothing more.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}
