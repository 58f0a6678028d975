package acd_test

import (
	"fmt"
	"strings"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

// A plain panel file: the format is recognised from its header, stages may
// be numbers or names, and a missing year is a gap.
func ExampleReadData() {
	in := `id,year,stage
alpha,2000,none
alpha,2001,minor
alpha,2003,war
beta,2000,0
`
	d, err := acd.ReadData(strings.NewReader(in), "panel.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _, err := d.Code(acd.Coding{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range p.Units {
		fmt.Println(u.ID, u.First, u.Stages)
	}
	// Output:
	// alpha 2000 [none minor absent war]
	// beta 2000 [none]
}

// The embedded UCDP/PRIO ACD coded over the Gleditsch-Ward list.
func ExampleData_Code() {
	d, err := acd.ReadData(strings.NewReader(string(acd.DefaultACD())), acd.DefaultACDName)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, rep, err := d.Code(acd.DefaultCoding(), acd.DefaultStates())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Coding)
	fmt.Println(p.First, p.Last, rep.Units, "states,", rep.UnitYears, "country-years")
	for _, dr := range rep.Dropped {
		fmt.Printf("not in the list: state %d in %d (line %d)\n", dr.Code, dr.Year, dr.Line)
	}
	// Output:
	// conflict types 3,4, locations all, partial years any-day, open spells extended to 2022
	// 1946 2022 181 states, 11012 country-years
	// not in the list: state 751 in 1947 (line 52)
	// not in the list: state 751 in 1948 (line 53)
}

// A list of states in the Gleditsch-Ward form: one row per spell.
func ExampleReadStates() {
	in := `gwcode,stateabb,statename,startdate,enddate
625,SUD,Sudan,1956-01-01,2012-12-31
626,SSD,South Sudan,2011-07-09,2012-12-31
`
	states, err := acd.ReadStates(strings.NewReader(in), "states.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range states {
		fmt.Println(s.Code, s.Name, s.Start.Format("2006-01-02"))
	}
	// Output:
	// 625 Sudan 1956-01-01
	// 626 South Sudan 2011-07-09
}
