package study

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Condition is the condition of scenario discovery: a comparison of two
// terms, each a number or an outcome of a strategy at a point, e.g.
// "p_war > 0.3" or "historical.p_war > none.p_war" (the historical
// missions do worse than no mission).
type Condition struct {
	Text        string
	left, right term
	op          string
}

type term struct {
	strategy int // index; -1 for a number
	output   string
	number   float64
}

var errUnknownStrategy = errors.New("unknown strategy")

// ParseCondition parses a condition. An outcome is p_war, war_months or
// cost, optionally prefixed by a strategy id and a dot; without one it is
// the first strategy's (the baseline). ids are the strategies, in order;
// with nil ids only the syntax is checked.
func ParseCondition(s string, ids []string) (Condition, error) {
	c := Condition{Text: strings.TrimSpace(s)}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if l, r, ok := strings.Cut(s, op); ok {
			c.op = op
			var err error
			if c.left, err = parseTerm(l, ids); err != nil {
				return c, fmt.Errorf("--find %q: %w", s, err)
			}
			if c.right, err = parseTerm(r, ids); err != nil {
				return c, fmt.Errorf("--find %q: %w", s, err)
			}
			if c.left.strategy < 0 && c.right.strategy < 0 {
				return c, fmt.Errorf("--find %q: compare an outcome, e.g. \"p_war > 0.3\"", s)
			}
			return c, nil
		}
	}
	return c, fmt.Errorf("--find %q: want OUTCOME OP VALUE with OP one of > >= < <=, e.g. \"p_war > 0.3\" or \"historical.p_war > none.p_war\"", s)
}

func parseTerm(s string, ids []string) (term, error) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return term{strategy: -1, number: x}, nil
	}
	t := term{strategy: 0, output: s}
	if st, out, ok := strings.Cut(s, "."); ok {
		t.output = out
		if ids == nil {
			t.strategy = 0
		} else if i := slices.Index(ids, st); i >= 0 {
			t.strategy = i
		} else {
			return t, fmt.Errorf("%w %q (strategies: %s)", errUnknownStrategy, st, strings.Join(ids, ", "))
		}
	}
	if !slices.Contains(outputs, t.output) {
		return t, fmt.Errorf("unknown outcome %q (want p_war, war_months or cost, optionally after STRATEGY.)", t.output)
	}
	return t, nil
}

func (t term) eval(o []Outcome) float64 {
	if t.strategy < 0 {
		return t.number
	}
	return o[t.strategy].value(t.output)
}

// Holds reports whether the condition holds for a point's outcomes.
func (c Condition) Holds(o []Outcome) bool {
	l, r := c.left.eval(o), c.right.eval(o)
	switch c.op {
	case ">":
		return l > r
	case ">=":
		return l >= r
	case "<":
		return l < r
	}
	return l <= r
}
