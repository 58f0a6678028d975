package acd

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// State is one spell of independence of a state in a list of states such
// as Gleditsch and Ward's: a state with several spells (Haiti, Serbia) has
// one State per spell.
type State struct {
	Code       int       // Gleditsch-Ward code (gwcode)
	Abb, Name  string    // stateabb, statename (may be empty)
	Start, End time.Time // first and last day of independence
	Line       int       // line in the file it was read from
}

// Membership says in which years a state counts as a unit of the panel.
type Membership int

const (
	// AnyDay counts a state in every year in which it was independent on
	// at least one day: the year of independence and the year it ended are
	// both in (the default).
	AnyDay Membership = iota
	// YearEnd counts a state in the years it was independent on 31
	// December: the year of independence is in, the year it ended is out.
	YearEnd
	// YearStart counts a state in the years it was independent on 1
	// January: the year of independence is out, the year it ended is in.
	YearStart
)

var membershipNames = []string{"any-day", "year-end", "year-start"}

func (m Membership) String() string {
	if m >= 0 && int(m) < len(membershipNames) {
		return membershipNames[m]
	}
	return fmt.Sprintf("Membership(%d)", int(m))
}

// ParseMembership reads a Membership from its String form.
func ParseMembership(s string) (Membership, error) {
	for i, n := range membershipNames {
		if s == n {
			return Membership(i), nil
		}
	}
	return 0, fmt.Errorf("partial years %q: want one of %s", s, strings.Join(membershipNames, ", "))
}

// in reports whether the spell counts in year y under rule m.
func (s State) in(y int, m Membership) bool {
	jan1 := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	dec31 := time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	switch m {
	case YearEnd:
		return !s.Start.After(dec31) && !s.End.Before(dec31)
	case YearStart:
		return !s.Start.After(jan1) && !s.End.Before(jan1)
	}
	return !s.Start.After(dec31) && !s.End.Before(jan1)
}

// ReadStates reads a list of states in the Gleditsch-Ward CSV form: a header
// with gwcode, startdate and enddate (dates as YYYY-MM-DD) and optionally
// stateabb and statename, then one row per spell of independence. Name is
// the file name used in errors.
func ReadStates(r io.Reader, name string) ([]State, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err, "list of states")
	}
	cols, err := columns(name, head, []string{"gwcode", "startdate", "enddate"}, []string{"stateabb", "statename"})
	if err != nil {
		return nil, err
	}
	var out []State
	if err := eachRow(cr, name, cols, func(r row) error {
		code, err := strconv.Atoi(r.field("gwcode"))
		if err != nil || code < 0 {
			return r.bad("gwcode", "%q is not a state code (a whole number, 0 or more)", r.field("gwcode"))
		}
		s := State{Code: code, Line: r.line}
		if i, ok := cols["stateabb"]; ok {
			s.Abb = strings.TrimSpace(r.rec[i])
		}
		if i, ok := cols["statename"]; ok {
			s.Name = strings.TrimSpace(r.rec[i])
		}
		for _, d := range []struct {
			col string
			t   *time.Time
		}{{"startdate", &s.Start}, {"enddate", &s.End}} {
			t, err := time.Parse("2006-01-02", r.field(d.col))
			if err != nil {
				return r.bad(d.col, "%q is not a date (YYYY-MM-DD)", r.field(d.col))
			}
			*d.t = t
		}
		if s.End.Before(s.Start) {
			return r.bad("enddate", "%s is before the start date %s", r.field("enddate"), r.field("startdate"))
		}
		for _, o := range out {
			if o.Code == code && !o.End.Before(s.Start) && !s.End.Before(o.Start) {
				return r.bad("startdate", "state %d's spell overlaps its spell on line %d", code, o.Line)
			}
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Msg: "no states after the header"}
	}
	return out, nil
}

// columns maps the header's names to their indices. Every required name
// must be there. With optional non-nil, a name neither required nor
// optional is an error, so that a misspelt or foreign column is not
// silently ignored; with optional nil, other columns are read past.
func columns(file string, head, required, optional []string) (map[string]int, error) {
	cols := make(map[string]int, len(head))
	known := func(n string) bool {
		for _, k := range required {
			if k == n {
				return true
			}
		}
		for _, k := range optional {
			if k == n {
				return true
			}
		}
		return false
	}
	for i, h := range head {
		n := headerName(h, i)
		if prev, dup := cols[n]; dup {
			return nil, &Error{File: file, Line: 1, Column: n, Msg: fmt.Sprintf("column %q appears twice (fields %d and %d)", n, prev+1, i+1)}
		}
		if optional != nil && !known(n) {
			return nil, &Error{File: file, Line: 1, Column: n, Msg: fmt.Sprintf("unknown column %q (expected %s)", n, strings.Join(append(append([]string{}, required...), optional...), ", "))}
		}
		cols[n] = i
	}
	for _, n := range required {
		if _, ok := cols[n]; !ok {
			return nil, &Error{File: file, Line: 1, Column: n, Msg: fmt.Sprintf("required column %q is missing", n)}
		}
	}
	return cols, nil
}

// headerName normalises a header field: spaces trimmed, lower case, and a
// byte-order mark removed from the first.
func headerName(h string, i int) string {
	if i == 0 {
		h = strings.TrimPrefix(h, "\ufeff")
	}
	return strings.ToLower(strings.TrimSpace(h))
}

// csvError turns an encoding/csv error into an *Error with its line.
func csvError(file string, err error, what string) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: file, Line: pe.Line, Msg: fmt.Sprintf("column %d: %v", pe.Column, pe.Err)}
	}
	if err == io.EOF {
		return &Error{File: file, Msg: "empty file: no header line (want a " + what + ")"}
	}
	return fmt.Errorf("%s: %w", file, err)
}
