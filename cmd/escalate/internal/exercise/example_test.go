package exercise_test

import (
	"fmt"
	"strings"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
)

// A team's decisions become a strategy of the exported scenario file:
// launched in month 0 without waiting for a trigger, resized from the
// month after the second round's, and ended after the third; the missions
// it never launched are switched off.
func Example() {
	e, err := exercise.New(exercise.Config{Scenario: "workshop-intro", RoundMonths: 3, World: 7, DebriefRuns: 1000}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	red, _ := e.Join("Red")
	_, team := e.Who(red.Token)
	six, ten := 6.0, 10.0
	for round, actions := range [][]exercise.Action{
		{{Mission: "mediators", Action: exercise.Launch, Staff: &six}},
		{{Mission: "mediators", Action: exercise.Resize, Staff: &ten}},
		{{Mission: "mediators", Action: exercise.End}},
	} {
		if err := e.Decide(team, round+1, actions); err != nil {
			fmt.Println(err)
		}
		e.Advance(round + 1)
	}
	_, data := e.Export()
	table := string(data[strings.Index(string(data), "[strategy.team_red]"):])
	fmt.Print(strings.ReplaceAll(table, ", ", ",\n  "))
	// Output:
	// [strategy.team_red]
	// name = "Red"
	// description = "Team Red: month 0 launch mediators with 6 staff; month 3 resize mediators to 10; month 6 end mediators."
	// disable = ["legal_advisers",
	//   "monitors"]
	// set = { "intervention.mediators.trigger" = "none",
	//   "intervention.mediators.start_month" = 0,
	//   "intervention.mediators.staff" = 6,
	//   "intervention.mediators.staff_from.4" = 10,
	//   "intervention.mediators.end_month" = 7 }
}
