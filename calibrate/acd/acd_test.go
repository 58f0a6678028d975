package acd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func readFile(t testing.TB, path string) *Data {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadData(bytes.NewReader(b), path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestShippedFiles checks that the embedded data are the files as
// distributed: their hashes and the counts given by the data's README.
func TestShippedFiles(t *testing.T) {
	sum := sha256.Sum256(DefaultACD())
	if got := hex.EncodeToString(sum[:]); got != "300dadc288a992536b491ed9f7d871917992396acaaa698f635aaec73618a0de" {
		t.Errorf("embedded ACD SHA-256 = %s", got)
	}
	st, err := data.ReadFile("data/" + DefaultStatesName)
	if err != nil {
		t.Fatal(err)
	}
	sum = sha256.Sum256(st)
	if got := hex.EncodeToString(sum[:]); got != "247d5ba7213ab86c2e3ec9b60407abede0cc24015754bde9752083c0d70ca2dc" {
		t.Errorf("embedded list of states SHA-256 = %s", got)
	}
	d, err := ReadData(bytes.NewReader(DefaultACD()), DefaultACDName)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != FormatACD || len(d.Conflicts) != 2626 {
		t.Fatalf("format %s, %d rows; want ucdp-acd, 2626", d.Format, len(d.Conflicts))
	}
	types := map[int]int{}
	conflicts := map[int]bool{}
	for _, c := range d.Conflicts {
		types[c.Type]++
		conflicts[c.Conflict] = true
	}
	if types[1] != 117 || types[2] != 141 || types[3] != 1925 || types[4] != 443 || len(conflicts) != 297 {
		t.Errorf("types %v, %d conflicts; want 117/141/1925/443 and 297", types, len(conflicts))
	}
	if n := len(DefaultStates()); n != 216 {
		t.Errorf("%d state spells, want 216", n)
	}
	if !strings.Contains(DataREADME(), "CC BY 4.0") {
		t.Error("the data README lost its licence")
	}
}

// TestRealRows codes real rows of the shipped file: South Sudan's first
// conflict in its year of independence (2011-07-09), Sudan's war, and the
// Ecuador-Peru war of 1995, located in both countries.
func TestRealRows(t *testing.T) {
	d := readFile(t, "testdata/acd-real.csv")
	states := DefaultStates()
	tests := []struct {
		name    string
		coding  Coding
		want    map[string]map[int]Stage // id -> year -> stage
		dropped []Dropped
	}{
		{"default", DefaultCoding(), map[string]map[int]Stage{
			"626": {2011: Minor, 2012: Minor},
			"625": {2011: War, 2012: War},
			"130": {1995: None}, "135": {1995: None},
		}, nil},
		{"year-start drops the year of independence", Coding{Types: []int{3, 4}, Membership: YearStart}, map[string]map[int]Stage{
			"626": {2011: Absent, 2012: Minor},
		}, []Dropped{{Line: 2, Conflict: 11345, Year: 2011, Code: 626}}},
		{"year-end keeps it", Coding{Types: []int{3, 4}, Membership: YearEnd}, map[string]map[int]Stage{
			"626": {2011: Minor},
		}, nil},
		{"interstate, all locations", Coding{Types: []int{2}}, map[string]map[int]Stage{
			"130": {1995: Minor}, "135": {1995: Minor}, "625": {2011: None},
		}, nil},
		{"interstate, first location", Coding{Types: []int{2}, Locations: FirstLocation}, map[string]map[int]Stage{
			"130": {1995: Minor}, "135": {1995: None},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, rep, err := d.Code(tt.coding, states)
			if err != nil {
				t.Fatal(err)
			}
			if p.First != 1995 || p.Last != 2012 || rep.ExtendTo != 2012 {
				t.Errorf("years %d-%d extended to %d, want 1995-2012 and 2012", p.First, p.Last, rep.ExtendTo)
			}
			byID := map[string]*Unit{}
			for i := range p.Units {
				byID[p.Units[i].ID] = &p.Units[i]
			}
			for id, ys := range tt.want {
				u := byID[id]
				if u == nil {
					t.Fatalf("no unit %s", id)
				}
				for y, s := range ys {
					if got := u.At(y); got != s {
						t.Errorf("%s (%s) in %d: %s, want %s", id, u.Name, y, got, s)
					}
				}
			}
			if len(rep.Dropped) != len(tt.dropped) || (len(tt.dropped) > 0 && rep.Dropped[0] != tt.dropped[0]) {
				t.Errorf("dropped %v, want %v", rep.Dropped, tt.dropped)
			}
		})
	}
}

// TestMembership checks the three partial-year rules on a spell from
// 2011-07-09 to 2015-03-01.
func TestMembership(t *testing.T) {
	s := State{Start: time.Date(2011, 7, 9, 0, 0, 0, 0, time.UTC), End: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		m    Membership
		want []int // years 2010..2016 in
	}{
		{AnyDay, []int{2011, 2012, 2013, 2014, 2015}},
		{YearEnd, []int{2011, 2012, 2013, 2014}},
		{YearStart, []int{2012, 2013, 2014, 2015}},
	} {
		var got []int
		for y := 2010; y <= 2016; y++ {
			if s.in(y, tt.m) {
				got = append(got, y)
			}
		}
		if !equalInts(got, tt.want) {
			t.Errorf("%s: years %v, want %v", tt.m, got, tt.want)
		}
		back, err := ParseMembership(tt.m.String())
		if err != nil || back != tt.m {
			t.Errorf("ParseMembership(%q) = %v, %v", tt.m, back, err)
		}
	}
}

// TestExtension checks that spells open at the list's edition end (the
// latest end date) are extended, and closed ones are not.
func TestExtension(t *testing.T) {
	states := `gwcode,stateabb,statename,startdate,enddate
1,AAA,Open,1990-01-01,2012-12-31
2,BBB,Closed,1990-01-01,2005-06-30
`
	acdCSV := "conflict_id,year,intensity_level,type_of_conflict,gwno_loc\n7,2000,1,3,1\n7,2020,2,3,\"2, 1\"\n"
	st, err := ReadStates(strings.NewReader(states), "states.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadData(strings.NewReader(acdCSV), "acd.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, rep, err := d.Code(DefaultCoding(), st)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Units[0].At(2020); got != War {
		t.Errorf("open state in 2020: %s, want war", got)
	}
	if got := p.Units[1].At(2006); got != Absent {
		t.Errorf("closed state in 2006: %s, want absent", got)
	}
	if got := p.Units[1].At(2005); got != None {
		t.Errorf("closed state in 2005 (any day): %s, want none", got)
	}
	if len(rep.Dropped) != 1 || rep.Dropped[0].Code != 2 || rep.Dropped[0].Line != 3 {
		t.Errorf("dropped %v, want state 2 in 2020 on line 3", rep.Dropped)
	}
	// 2000..2020 for state 1, 2000..2005 for state 2.
	if n := p.CountryYears(); n != 21+6 {
		t.Errorf("%d country-years, want 27", n)
	}
	c := DefaultCoding()
	c.ExtendTo = 2013
	p, _, err = d.Code(c, st)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Units[0].At(2014); got != Absent {
		t.Errorf("extended to 2013, state in 2014: %s, want absent", got)
	}
}

func TestPanelFile(t *testing.T) {
	in := "id,year,stage\r\na,2000,none\r\na,2001,2\r\nb,1999,Minor\r\na,2003,0\r\n"
	d, err := ReadData(strings.NewReader(in), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, rep, err := d.Code(Coding{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != FormatPanel || p.First != 1999 || p.Last != 2003 || rep.Units != 2 || rep.UnitYears != 4 {
		t.Fatalf("format %s, years %d-%d, report %+v", d.Format, p.First, p.Last, rep)
	}
	a := p.Units[0]
	got := []Stage{a.At(2000), a.At(2001), a.At(2002), a.At(2003), p.Units[1].At(1999)}
	want := []Stage{None, War, Absent, None, Minor}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("stage %d: %s, want %s", i, got[i], want[i])
		}
	}
}

// TestErrors checks that bad data names the file, the line and the column.
func TestErrors(t *testing.T) {
	const acdHead = "conflict_id,year,intensity_level,type_of_conflict,gwno_loc\n"
	for _, tt := range []struct{ name, in, want string }{
		{"empty", "", "f.csv: empty file"},
		{"unknown header", "a,b\n1,2\n", `f.csv:1: unrecognised header "a,b"`},
		{"panel unknown column", "id,year,stage,note\nx,2000,0,hi\n", `f.csv:1: column note: unknown column "note"`},
		{"panel missing column", "id,stage\nx,0\n", `f.csv:1: column year: required column "year" is missing`},
		{"acd missing column", "conflict_id,year,type_of_conflict,gwno_loc\n1,2000,3,1\n", `column intensity_level: required column`},
		{"duplicate column", "id,year,stage,year\n", `f.csv:1: column year: column "year" appears twice`},
		{"year", "id,year,stage\nx,2000,0\nx,20x1,0\n", `f.csv:3: column year: "20x1" is not a year`},
		{"stage", "id,year,stage\nx,2000,3\n", `f.csv:2: column stage: stage "3" is not 0, 1, 2`},
		{"panel duplicate", "id,year,stage\nx,2000,0\ny,2000,1\nx,2000,1\n", `f.csv:4: column year: x in 2000 is also on line 2 (duplicate row)`},
		{"empty id", "id,year,stage\n,2000,0\n", `f.csv:2: column id: empty id`},
		{"no rows", "id,year,stage\n", `f.csv: no rows after the header`},
		{"acd missing location", acdHead + "1,2000,1,3,\n", `f.csv:2: column gwno_loc: no location code`},
		{"acd bad location", acdHead + "1,2000,1,3,\"625, x\"\n", `f.csv:2: column gwno_loc: "625, x" is not a list`},
		{"acd intensity", acdHead + "1,2000,3,3,625\n", `f.csv:2: column intensity_level: "3" is not an intensity level`},
		{"acd type", acdHead + "1,2000,1,5,625\n", `f.csv:2: column type_of_conflict: "5" is not a type`},
		{"acd duplicate", acdHead + "1,2000,1,3,625\n1,2000,2,3,625\n", `f.csv:3: column year: conflict 1 in 2000 is also on line 2`},
		{"field count", "id,year,stage\nx,2000\n", `f.csv:2: column 1: wrong number of fields`},
		{"quote", "id,year,stage\nx,\"2000,0\n", `f.csv:2: column`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadData(strings.NewReader(tt.in), "f.csv")
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("%T is not an *Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestStatesErrors(t *testing.T) {
	const head = "gwcode,stateabb,statename,startdate,enddate\n"
	for _, tt := range []struct{ name, in, want string }{
		{"unknown column", "gwcode,startdate,enddate,capital\n", `s.csv:1: column capital: unknown column`},
		{"code", head + "x,A,A,1990-01-01,2000-01-01\n", `s.csv:2: column gwcode: "x" is not a state code`},
		{"date", head + "1,A,A,1990-13-01,2000-01-01\n", `s.csv:2: column startdate: "1990-13-01" is not a date`},
		{"order", head + "1,A,A,1990-01-01,1980-01-01\n", `s.csv:2: column enddate: 1980-01-01 is before the start date`},
		{"overlap", head + "1,A,A,1990-01-01,2000-01-01\n1,A,A,1999-01-01,2005-01-01\n", `s.csv:3: column startdate: state 1's spell overlaps its spell on line 2`},
		{"no states", head, `s.csv: no states`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadStates(strings.NewReader(tt.in), "s.csv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseStage(t *testing.T) {
	for in, want := range map[string]Stage{"0": None, "none": None, " MINOR ": Minor, "1": Minor, "war": War, "2": War} {
		if got, err := ParseStage(in); err != nil || got != want {
			t.Errorf("ParseStage(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "3", "-1", "major", "1.0"} {
		if _, err := ParseStage(in); err == nil {
			t.Errorf("ParseStage(%q): no error", in)
		}
	}
}

// TestCodeShipped codes the whole shipped file with the default coding and
// checks counts that follow from the data: the panel's years, the list's
// states extended to 2022, and the conflict-years outside it.
func TestCodeShipped(t *testing.T) {
	d, err := ReadData(bytes.NewReader(DefaultACD()), DefaultACDName)
	if err != nil {
		t.Fatal(err)
	}
	p, rep, err := d.Code(DefaultCoding(), DefaultStates())
	if err != nil {
		t.Fatal(err)
	}
	if p.First != 1946 || p.Last != 2022 || rep.ExtendTo != 2022 || rep.Counted != 1925+443 {
		t.Errorf("years %d-%d, extended to %d, counted %d", p.First, p.Last, rep.ExtendTo, rep.Counted)
	}
	n2022 := 0
	for i := range p.Units {
		if p.Units[i].At(2022) != Absent {
			n2022++
		}
	}
	// 174 spells are open at the list's end date (2012-12-31): grep -c ,2012-12-31.
	if n2022 != 174 {
		t.Errorf("%d states in 2022, want 174", n2022)
	}
	t.Logf("%d units, %d country-years, %d dropped: %v", rep.Units, rep.UnitYears, len(rep.Dropped), rep.Dropped)
}

func BenchmarkReadAndCode(b *testing.B) {
	raw := DefaultACD()
	states := DefaultStates()
	for b.Loop() {
		d, err := ReadData(bytes.NewReader(raw), DefaultACDName)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := d.Code(DefaultCoding(), states); err != nil {
			b.Fatal(err)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
