package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// maxWorkers is the most workers a job uses: one a processor.
func maxWorkers() int { return runtime.GOMAXPROCS(0) }

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// errInterrupted reports a run stopped by Ctrl-C or SIGTERM: exit 130.
// Output directories stop with the same error.
var errInterrupted = atomicfs.ErrInterrupted

// exitStatus is a failure that ends escalate with status code. Its
// message is err's; without err the failure has been reported already
// (validate prints each problem) and main prints nothing more.
type exitStatus struct {
	code int
	err  error
}

func (e *exitStatus) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitStatus) Unwrap() error { return e.err }

// reported is a failure already reported to the user: exit 1, no message.
func reported() error { return &exitStatus{code: 1} }

// message is what main prints for err: nothing for a failure already
// reported.
func message(err error) string {
	var es *exitStatus
	if err == nil || errors.As(err, &es) && es.err == nil {
		return ""
	}
	return err.Error()
}

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
	var ie *job.InvalidError
	var es *exitStatus
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &es):
		return es.code
	case errors.As(err, &ue), errors.As(err, &ie):
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
		{"explore", "SCENARIO --design lhs|sobol|morris --samples N", "explore uncertain assumptions: sensitivity, robust strategies, scenario discovery", cmdExplore},
		{"plot", "FILE.json --out DIR", "redraw the charts of a saved summary, comparison or sweep", cmdPlot},
		{"calibrate", "[DATA.csv] [flags]", "fit the stage dynamics to observed conflict data and validate them", cmdCalibrate},
		{"merge", "DIR...", "combine the outputs of sharded runs into one result", cmdMerge},
		{"replay", "RESULT.json", "re-run a saved summary's, comparison's or sweep's job and confirm the same bytes", cmdReplay},
		{"serve", "[SCENARIO] [--listen ADDR]", "open the workshop page: live what-ifs in a browser, for a projector", cmdServe},
		{"validate", "FILE...", "check scenario files and report every problem with its line and key", cmdValidate},
		{"list", "", "list the shipped scenarios", cmdList},
		{"show", "NAME", "print a shipped scenario's TOML, to copy and edit", cmdShow},
		{"schema", "", "print a JSON Schema of scenario files, for editors", cmdSchema},
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
		fmt.Fprintln(stdout, job.Tool())
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
	restore := fs.guard()
	defer restore()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				restore()
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
			restore()
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
		n, err := strconv.ParseInt(f.Value.String(), 10, 64)
		if err == nil && n <= 0 {
			return usagef("%s: --%s must be positive, got %d", fs.Name(), name, n)
		}
		if (name == "runs" || name == "max-runs") && n > sim.MaxRuns {
			return usagef("%s: --%s must be at most %d (2^53), got %d", fs.Name(), name, int64(sim.MaxRuns), n)
		}
	}
	// More workers than processors do not make a job faster (each
	// holds its own aggregates, so they only cost memory): use at most
	// one a processor. Results do not depend on the number.
	if f := fs.Lookup("workers"); f != nil {
		if n, err := strconv.Atoi(f.Value.String()); err == nil && n > maxWorkers() {
			if err := f.Value.Set(strconv.Itoa(maxWorkers())); err != nil {
				return err
			}
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
	if err := checkAssignment(s); err != nil {
		return err
	}
	if o.value != "" {
		return errors.New("compare varies one key; to vary two, use escalate sweep with two --vary")
	}
	o.value = s
	return nil
}

func (m *multiFlag) String() string { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error {
	if err := checkAssignment(s); err != nil {
		return err
	}
	*m = append(*m, s)
	return nil
}

// checkAssignment requires PATH=VALUE: "--set a.b 3" (a space for the
// "=") would otherwise leave "3" to be taken for a scenario.
func checkAssignment(s string) error {
	if path, _, ok := strings.Cut(s, "="); ok && strings.TrimSpace(path) != "" {
		return nil
	}
	return fmt.Errorf("want PATH=VALUE with an '=' and no spaces around it (e.g. %s=VALUE)", strings.TrimSpace(s))
}

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
