package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The standard flag package reads integers with base prefixes (--runs 0100
// is 64 runs, --seed 0x10 is 16) and lets a flag given twice keep its last
// value (--strategy a --strategy b runs b). Neither is what a user of this
// tool means, and --set already follows TOML, which has no octal and no
// leading zeros. guardedValue enforces one rule for every flag of every
// command while it is parsed: integers are plain decimal, and a flag that
// is not repeatable is given at most once.

// repeatable is implemented by flag values that collect several uses
// (--set, sweep's --vary).
type repeatable interface{ repeatable() }

func (*multiFlag) repeatable() {}

// nameList collects a repeatable flag of names (--chart a --chart b,c).
type nameList []string

func (n *nameList) String() string     { return strings.Join(*n, ",") }
func (n *nameList) Set(s string) error { *n = append(*n, s); return nil }
func (*nameList) repeatable()          {}

// oneVary says itself what a second use means.
func (*oneVary) repeatable() {}

// guardedValue wraps a flag's value during parsing.
type guardedValue struct {
	name    string
	inner   flag.Value
	integer bool
	uses    int
}

func (g *guardedValue) String() string {
	if g == nil || g.inner == nil {
		return ""
	}
	return g.inner.String()
}

func (g *guardedValue) IsBoolFlag() bool {
	b, ok := g.inner.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (g *guardedValue) Set(s string) error {
	g.uses++
	if _, ok := g.inner.(repeatable); !ok && g.uses > 1 {
		return fmt.Errorf("given more than once; give it once")
	}
	if g.integer {
		if err := checkDecimal(s); err != nil {
			return err
		}
	}
	return g.inner.Set(s)
}

// guard wraps every flag of fs for one parse and returns the function that
// puts the original values back (the help text reads their defaults).
func (fs *flagSet) guard() (restore func()) {
	var undo []func()
	fs.VisitAll(func(f *flag.Flag) {
		g := &guardedValue{name: f.Name, inner: f.Value}
		if get, ok := f.Value.(flag.Getter); ok {
			switch get.Get().(type) {
			case int, int64, uint, uint64:
				g.integer = true
			}
		}
		orig := f.Value
		f.Value = g
		undo = append(undo, func() { f.Value = orig })
	})
	return func() {
		for _, u := range undo {
			u()
		}
		undo = nil
	}
}

// checkDecimal accepts an integer written in plain decimal digits, with an
// optional minus sign and no leading zeros: the integers of a TOML file.
func checkDecimal(s string) error {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return errors.New("want a whole number in decimal digits")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return fmt.Errorf("want a whole number in decimal digits, got %q", s)
		}
	}
	if len(digits) > 1 && digits[0] == '0' {
		return fmt.Errorf("%q has a leading zero, which other tools read as octal; write %s", s, strings.TrimLeft(digits, "0"))
	}
	return nil
}

// parseDecimal parses s under checkDecimal's rule.
func parseDecimal(s string) (int64, error) {
	if err := checkDecimal(s); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is too large (at most %d)", s, int64(math.MaxInt64))
	}
	return n, nil
}
