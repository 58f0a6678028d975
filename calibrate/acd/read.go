package acd

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Format is the kind of file [Read] recognised from the header.
type Format string

const (
	FormatACD   Format = "ucdp-acd" // UCDP/PRIO Armed Conflict Dataset, conflict-year rows
	FormatPanel Format = "panel"    // id,year,stage
)

// ConflictYear is one row of the ACD: a conflict in a year.
type ConflictYear struct {
	Line      int   // line in the file
	Conflict  int   // conflict_id
	Year      int   // year
	Intensity int   // intensity_level: 1 (25-999 deaths) or 2 (1,000+)
	Type      int   // type_of_conflict: 1 extrasystemic, 2 interstate, 3 intrastate, 4 internationalised intrastate
	Locations []int // gwno_loc: Gleditsch-Ward codes of the countries where it took place
}

// acdColumns are the ACD columns the coding uses; the others (sides,
// dates, region) are read past. UCDP adds and renames descriptive columns
// between versions, so columns beyond these are accepted.
var acdColumns = []string{"conflict_id", "year", "intensity_level", "type_of_conflict", "gwno_loc"}

var panelColumns = []string{"id", "year", "stage"}

// Observation is one row of a panel file.
type Observation struct {
	Line  int
	ID    string
	Year  int
	Stage Stage
}

// minYear and maxYear bound the years a file may hold: wide enough for any
// data set of states, narrow enough to catch a misread column.
const minYear, maxYear = 1000, 3000

// Data is a file's rows, as read, before coding: ACD conflict-years or panel
// observations, whichever the header said.
type Data struct {
	File      string
	Format    Format
	Conflicts []ConflictYear // FormatACD
	Panel     []Observation  // FormatPanel
}

// ReadData reads an ACD or panel CSV file, recognised from its header, and
// checks every row. Name is the file name used in errors.
func ReadData(r io.Reader, name string) (*Data, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err, "UCDP/PRIO ACD file or an id,year,stage panel")
	}
	names := make([]string, len(head))
	for i, h := range head {
		names[i] = headerName(h, i)
	}
	switch {
	case slices.Contains(names, "conflict_id"):
		cols, err := columns(name, head, acdColumns, nil)
		if err != nil {
			return nil, err
		}
		cs, err := readACD(cr, name, cols)
		return &Data{File: name, Format: FormatACD, Conflicts: cs}, err
	case slices.Contains(names, "stage"):
		cols, err := columns(name, head, panelColumns, []string{})
		if err != nil {
			return nil, err
		}
		obs, err := readPanel(cr, name, cols)
		return &Data{File: name, Format: FormatPanel, Panel: obs}, err
	}
	return nil, &Error{File: name, Line: 1, Msg: fmt.Sprintf("unrecognised header %q: want the UCDP/PRIO ACD's (with conflict_id, year, intensity_level, type_of_conflict, gwno_loc) or id,year,stage", strings.Join(head, ","))}
}

func readACD(cr *csv.Reader, name string, cols map[string]int) ([]ConflictYear, error) {
	var out []ConflictYear
	seen := make(map[[2]int]int)
	if err := eachRow(cr, name, cols, func(r row) error {
		cy := ConflictYear{Line: r.line}
		for _, f := range []struct {
			col      string
			dst      *int
			min, max int
			what     string
		}{
			{"conflict_id", &cy.Conflict, 0, 1<<31 - 1, "a conflict id (a whole number)"},
			{"year", &cy.Year, minYear, maxYear, fmt.Sprintf("a year (%d-%d)", minYear, maxYear)},
			{"intensity_level", &cy.Intensity, 1, 2, "an intensity level (1: 25-999 deaths, 2: 1,000 or more)"},
			{"type_of_conflict", &cy.Type, 1, 4, "a type of conflict (1 to 4)"},
		} {
			v, err := strconv.Atoi(r.field(f.col))
			if err != nil || v < f.min || v > f.max {
				return r.bad(f.col, "%q is not %s", r.field(f.col), f.what)
			}
			*f.dst = v
		}
		loc := r.field("gwno_loc")
		if loc == "" {
			return r.bad("gwno_loc", "no location code: the conflict-year cannot be placed in a country")
		}
		for _, s := range strings.Split(loc, ",") {
			c, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || c < 0 {
				return r.bad("gwno_loc", "%q is not a list of state codes (whole numbers separated by commas)", loc)
			}
			if !slices.Contains(cy.Locations, c) {
				cy.Locations = append(cy.Locations, c)
			}
		}
		k := [2]int{cy.Conflict, cy.Year}
		if prev, dup := seen[k]; dup {
			return r.bad("year", "conflict %d in %d is also on line %d (duplicate row)", cy.Conflict, cy.Year, prev)
		}
		seen[k] = r.line
		out = append(out, cy)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Msg: "no conflict-years after the header"}
	}
	return out, nil
}

func readPanel(cr *csv.Reader, name string, cols map[string]int) ([]Observation, error) {
	var out []Observation
	seen := make(map[string]int)
	if err := eachRow(cr, name, cols, func(r row) error {
		o := Observation{Line: r.line, ID: r.field("id")}
		if o.ID == "" {
			return r.bad("id", "empty id")
		}
		y, err := strconv.Atoi(r.field("year"))
		if err != nil || y < minYear || y > maxYear {
			return r.bad("year", "%q is not a year (%d-%d)", r.field("year"), minYear, maxYear)
		}
		o.Year = y
		if o.Stage, err = ParseStage(r.field("stage")); err != nil {
			return r.bad("stage", "%v", err)
		}
		k := o.ID + "\x00" + strconv.Itoa(y)
		if prev, dup := seen[k]; dup {
			return r.bad("year", "%s in %d is also on line %d (duplicate row)", o.ID, y, prev)
		}
		seen[k] = r.line
		out = append(out, o)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Msg: "no rows after the header"}
	}
	return out, nil
}

// row is one record of a CSV file being read, with what its checks need.
type row struct {
	name string
	line int
	rec  []string
	cols map[string]int
}

// field is the record's value in column c, trimmed.
func (r row) field(c string) string { return strings.TrimSpace(r.rec[r.cols[c]]) }

// bad is an error about column c of the record's line.
func (r row) bad(c, format string, a ...any) error {
	return &Error{File: r.name, Line: r.line, Column: c, Msg: fmt.Sprintf(format, a...)}
}

// eachRow calls fn with every record cr reads (after the header), and stops
// at the first error.
func eachRow(cr *csv.Reader, name string, cols map[string]int, fn func(row) error) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(name, err, "")
		}
		line, _ := cr.FieldPos(0)
		if err := fn(row{name: name, line: line, rec: rec, cols: cols}); err != nil {
			return err
		}
	}
}
