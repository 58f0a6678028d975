package acd

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Locations says which countries a conflict on several territories
// (gwno_loc listing several codes) is counted in.
type Locations int

const (
	// AllLocations counts the conflict in every listed country (the
	// default): each was the location of fighting that year.
	AllLocations Locations = iota
	// FirstLocation counts it only in the first listed country.
	FirstLocation
)

var locationNames = []string{"all", "first"}

func (l Locations) String() string {
	if l >= 0 && int(l) < len(locationNames) {
		return locationNames[l]
	}
	return fmt.Sprintf("Locations(%d)", int(l))
}

// ParseLocations reads a Locations from its String form.
func ParseLocations(s string) (Locations, error) {
	for i, n := range locationNames {
		if s == n {
			return Locations(i), nil
		}
	}
	return 0, fmt.Errorf("locations %q: want all or first", s)
}

// Coding holds the rules that turn ACD conflict-years into country-year
// stages.
type Coding struct {
	// Types are the values of type_of_conflict counted (1 extrasystemic,
	// 2 interstate, 3 intrastate, 4 internationalised intrastate).
	Types []int
	// Locations: every country in gwno_loc, or only the first.
	Locations Locations
	// Membership: which years of a partial year of independence count.
	Membership Membership
	// ExtendTo extends the spells of the list of states that are open at
	// its edition's end (those ending on the latest end date in the list)
	// to 31 December of this year. 0 means the last year of the data.
	ExtendTo int
}

// DefaultCoding counts intrastate and internationalised intrastate
// conflicts (types 3 and 4, as Hegre et al. 2013), in every listed
// location, in every year a state was independent for at least a day, with
// the list of states extended to the last year of the data.
func DefaultCoding() Coding {
	return Coding{Types: []int{3, 4}, Locations: AllLocations, Membership: AnyDay}
}

// String describes the coding in one line, for reports and file comments.
func (c Coding) String() string {
	t := make([]string, len(c.Types))
	for i, v := range c.Types {
		t[i] = strconv.Itoa(v)
	}
	s := fmt.Sprintf("conflict types %s, locations %s, partial years %s", strings.Join(t, ","), c.Locations, c.Membership)
	if c.ExtendTo != 0 {
		s += fmt.Sprintf(", open spells extended to %d", c.ExtendTo)
	}
	return s
}

// Unit is one country's (or panel id's) history.
type Unit struct {
	ID     string  // the state code for ACD data, the id of a panel file
	Name   string  // state name, when known
	First  int     // year of Stages[0]
	Stages []Stage // Stages[i] is year First+i; Absent for years not in the panel
}

// At returns the unit's stage in year y, or Absent.
func (u *Unit) At(y int) Stage {
	i := y - u.First
	if i < 0 || i >= len(u.Stages) {
		return Absent
	}
	return u.Stages[i]
}

// Panel is a country-year panel of stages.
type Panel struct {
	Units       []Unit
	First, Last int // years covered by the data
}

// CountryYears returns the number of unit-years present in the panel.
func (p *Panel) CountryYears() int {
	n := 0
	for _, u := range p.Units {
		for _, s := range u.Stages {
			if s != Absent {
				n++
			}
		}
	}
	return n
}

// Dropped is a location of a counted conflict-year that is not a unit of the
// panel that year (a territory outside the list of states, such as
// Hyderabad in 1948, or a year before independence).
type Dropped struct {
	Line, Conflict, Year, Code int
}

// Report says what the coding did.
type Report struct {
	Coding    Coding // with ExtendTo resolved; zero for a panel file
	Rows      int    // data rows read
	Counted   int    // conflict-years of the counted types (ACD)
	Dropped   []Dropped
	ExtendTo  int // year open spells were extended to (ACD)
	States    int // state spells in the list (ACD)
	Units     int
	UnitYears int
}

// Code turns the rows into a panel. For ACD data it codes the conflict-years
// over states (a list in the Gleditsch-Ward form, see [ReadStates]) with the
// given coding; for a panel file the coding and the states are not used.
func (d *Data) Code(c Coding, states []State) (*Panel, *Report, error) {
	if d.Format == FormatPanel {
		p := panelFromObservations(d.Panel)
		return p, &Report{Rows: len(d.Panel), Units: len(p.Units), UnitYears: p.CountryYears()}, nil
	}
	for _, t := range c.Types {
		if t < 1 || t > 4 {
			return nil, nil, fmt.Errorf("coding: conflict type %d is not 1 to 4", t)
		}
	}
	if len(c.Types) == 0 {
		return nil, nil, fmt.Errorf("coding: no conflict types to count")
	}
	if len(states) == 0 {
		return nil, nil, fmt.Errorf("coding: empty list of states")
	}
	first, last := d.Conflicts[0].Year, d.Conflicts[0].Year
	for _, cy := range d.Conflicts {
		first, last = min(first, cy.Year), max(last, cy.Year)
	}
	ext := c.ExtendTo
	if ext == 0 {
		ext = last
	}
	c.ExtendTo = ext
	rep := &Report{Coding: c, Rows: len(d.Conflicts), ExtendTo: ext, States: len(states)}

	// Extend the spells open at the list's edition end.
	edition := states[0].End
	for _, s := range states {
		if s.End.After(edition) {
			edition = s.End
		}
	}
	spells := make(map[int][]State)
	var codes []int
	for _, s := range states {
		if s.End.Equal(edition) && ext > edition.Year() {
			s.End = s.End.AddDate(ext-edition.Year(), 0, 0)
		}
		if _, ok := spells[s.Code]; !ok {
			codes = append(codes, s.Code)
		}
		spells[s.Code] = append(spells[s.Code], s)
	}
	sort.Ints(codes)

	p := &Panel{First: first, Last: last}
	index := make(map[int]int, len(codes))
	for _, code := range codes {
		u := Unit{ID: strconv.Itoa(code), First: first, Stages: make([]Stage, last-first+1)}
		present := false
		for y := first; y <= last; y++ {
			u.Stages[y-first] = Absent
			for _, s := range spells[code] {
				if s.in(y, c.Membership) {
					u.Stages[y-first] = None
					u.Name = s.Name
					present = true
					break
				}
			}
		}
		if present {
			index[code] = len(p.Units)
			p.Units = append(p.Units, u)
		}
	}
	for _, cy := range d.Conflicts {
		if !slices.Contains(c.Types, cy.Type) {
			continue
		}
		rep.Counted++
		locs := cy.Locations
		if c.Locations == FirstLocation {
			locs = locs[:1]
		}
		st := Minor
		if cy.Intensity == 2 {
			st = War
		}
		for _, code := range locs {
			i, ok := index[code]
			if !ok || p.Units[i].At(cy.Year) == Absent {
				rep.Dropped = append(rep.Dropped, Dropped{Line: cy.Line, Conflict: cy.Conflict, Year: cy.Year, Code: code})
				continue
			}
			u := &p.Units[i]
			u.Stages[cy.Year-u.First] = max(u.Stages[cy.Year-u.First], st)
		}
	}
	rep.Units, rep.UnitYears = len(p.Units), p.CountryYears()
	return p, rep, nil
}

func panelFromObservations(obs []Observation) *Panel {
	first, last := obs[0].Year, obs[0].Year
	span := make(map[string][2]int)
	var ids []string
	for _, o := range obs {
		first, last = min(first, o.Year), max(last, o.Year)
		s, ok := span[o.ID]
		if !ok {
			ids = append(ids, o.ID)
			s = [2]int{o.Year, o.Year}
		}
		span[o.ID] = [2]int{min(s[0], o.Year), max(s[1], o.Year)}
	}
	p := &Panel{First: first, Last: last}
	index := make(map[string]int, len(ids))
	for _, id := range ids {
		s := span[id]
		u := Unit{ID: id, First: s[0], Stages: make([]Stage, s[1]-s[0]+1)}
		for i := range u.Stages {
			u.Stages[i] = Absent
		}
		index[id] = len(p.Units)
		p.Units = append(p.Units, u)
	}
	for _, o := range obs {
		u := &p.Units[index[o.ID]]
		u.Stages[o.Year-u.First] = o.Stage
	}
	return p
}
