package acd

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzReadData reads arbitrary bytes as a data file: it must return a
// panel or an *Error, never panic, and a panel's stages are all valid.
//
//	go test ./calibrate/acd -run '^$' -fuzz FuzzReadData -fuzztime 10m
func FuzzReadData(f *testing.F) {
	real, err := os.ReadFile("testdata/acd-real.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	f.Add([]byte("id,year,stage\na,2000,none\na,2001,2\nb,1999,minor\n"))
	f.Add([]byte("conflict_id,year,intensity_level,type_of_conflict,gwno_loc\n7,2000,1,3,\"2, 1\"\n"))
	f.Add([]byte("\ufeffID , Year,STAGE\r\nx,2000,0\r\n"))
	f.Add([]byte("id,year,stage\nx,2000,3\n"))
	states := DefaultStates()
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadData(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T %v is not an *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		p, _, err := d.Code(DefaultCoding(), states)
		if err != nil {
			t.Fatalf("a file that reads does not code: %v", err)
		}
		for _, u := range p.Units {
			for _, s := range u.Stages {
				if s < Absent || s > War {
					t.Fatalf("unit %s has stage %d", u.ID, s)
				}
			}
		}
	})
}

// FuzzReadStates reads arbitrary bytes as a list of states.
//
//	go test ./calibrate/acd -run '^$' -fuzz FuzzReadStates -fuzztime 10m
func FuzzReadStates(f *testing.F) {
	f.Add([]byte("gwcode,stateabb,statename,startdate,enddate\n626,SSD,South Sudan,2011-07-09,2012-12-31\n"))
	f.Add([]byte("gwcode,startdate,enddate\n1,1990-01-01,2000-01-01\n1,1999-01-01,2005-01-01\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ReadStates(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T %v is not an *Error", err, err)
			}
			return
		}
		for _, s := range st {
			if s.End.Before(s.Start) {
				t.Fatalf("spell %+v ends before it starts", s)
			}
		}
	})
}
