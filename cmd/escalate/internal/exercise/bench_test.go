package exercise

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The debrief of two teams on workshop-intro at the default 10,000 runs:
// four strategies compared, and the same runs again for the ranks.
func BenchmarkDebrief(b *testing.B) {
	for b.Loop() {
		e, err := New(Config{Scenario: "workshop-intro", RoundMonths: 12, World: 7}, nil)
		must(b, err)
		red, blue := join(b, e, "Red"), join(b, e, "Blue")
		must(b, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(8)}}))
		must(b, e.Decide(blue, 1, []Action{{Mission: "monitors", Action: Launch}}))
		must(b, e.EndNow())
		if _, err := e.Debrief(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// The facilitator's view of twenty teams after a change: twenty-two
// worlds traced anew.
func BenchmarkFacilitatorView20(b *testing.B) {
	e, err := New(Config{Scenario: "workshop-intro", RoundMonths: 3, World: 7}, nil)
	must(b, err)
	var teams []int
	for i := range MaxTeams {
		teams = append(teams, join(b, e, fmt.Sprint("T", i)))
	}
	for i := range teams {
		must(b, e.Decide(teams[i], 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(float64(i))}}))
	}
	must(b, e.Advance(1))
	for b.Loop() {
		must(b, e.SetDeadline(0, time.Now())) // a change: every trace anew
		if _, err := e.FacilitatorView(); err != nil {
			b.Fatal(err)
		}
	}
}
