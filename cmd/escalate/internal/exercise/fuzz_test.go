package exercise

import (
	"encoding/json"
	"testing"
)

// played is an exercise file with two teams, decisions of every kind and
// an injected event: the seed the fuzzer mutates.
func played(t testing.TB) []byte {
	e := newExercise(t, nil)
	red, blue := join(t, e, "Red"), join(t, e, "Blue")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(6)}}))
	must(t, e.Decide(blue, 1, []Action{}))
	must(t, e.Advance(1))
	if _, err := e.Inject("arcadia", 0.15, "riots"); err != nil {
		t.Fatal(err)
	}
	must(t, e.Decide(red, 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(9)}, {Mission: "monitors", Action: Launch}}))
	must(t, e.Advance(2))
	must(t, e.Decide(red, 3, []Action{{Mission: "mediators", Action: End}}))
	return e.Marshal()
}

// Reading an exercise file never panics; a file it accepts resumes, and
// saves again to the same bytes.
func FuzzDecode(f *testing.F) {
	good := played(f)
	f.Add(good)
	f.Add([]byte(`{"format": "escalate-exercise", "version": 1}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := Decode("fuzz.json", data)
		if err != nil {
			return
		}
		e, err := Resume(st, nil)
		if err != nil {
			t.Fatalf("a checked file does not resume: %v", err)
		}
		again, err := Decode("again.json", e.Marshal())
		if err != nil {
			t.Fatalf("a resumed exercise saves a file it refuses: %v", err)
		}
		a, _ := json.Marshal(again)
		b, _ := json.Marshal(e.State())
		if string(a) != string(b) {
			t.Fatalf("the file does not read back as saved")
		}
	})
}

// A decision never panics, and a refused one changes nothing.
func FuzzDecide(f *testing.F) {
	f.Add(1, []byte(`[{"mission":"mediators","action":"launch","staff":6}]`))
	f.Add(2, []byte(`[{"mission":"mediators","action":"resize","staff":1e308}]`))
	f.Add(2, []byte(`[{"mission":"monitors","action":"end"},{"mission":"monitors","action":"end"}]`))
	f.Add(1, []byte(`[{"mission":"","action":""}]`))
	f.Fuzz(func(t *testing.T, round int, body []byte) {
		var actions []Action
		if json.Unmarshal(body, &actions) != nil {
			return
		}
		e := newExercise(t, nil)
		red := join(t, e, "Red")
		must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch}}))
		must(t, e.Advance(1))
		before := e.Marshal()
		if err := e.Decide(red, round, actions); err != nil {
			if kindOf(err) == 0 {
				t.Fatalf("not a refusal: %v", err)
			}
			if string(e.Marshal()) != string(before) {
				t.Fatalf("a refused decision changed the exercise: %v", err)
			}
			return
		}
		if _, err := Decode("after.json", e.Marshal()); err != nil {
			t.Fatalf("an accepted decision makes a file that is refused: %v", err)
		}
	})
}
