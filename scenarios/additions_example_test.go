package scenarios_test

import (
	"fmt"

	"github.com/escalate-sim/escalate/scenarios"
)

// Inject an event and switch a mission off without editing the file, as
// escalate run --event guinea:12:0.3:coup --disable unowa does.
func ExampleAdditions() {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, err := f.Scenario()
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, err := scenarios.ParseEvent("guinea:12:0.3:coup")
	if err != nil {
		fmt.Println(err)
		return
	}
	changed, err := f.Apply(sc, scenarios.Additions{Events: []scenarios.AddedEvent{ev}, Disable: []string{"unowa"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(sc.Interventions), "missions before,", len(changed.Interventions), "after")
	last := changed.Countries[0].Events[len(changed.Countries[0].Events)-1]
	fmt.Println(last.Name, last.Month, last.Size)
	_, err = f.Apply(changed, scenarios.Additions{Disable: []string{"unwoa"}})
	fmt.Println(err)
	// Output:
	// 4 missions before, 3 after
	// coup 12 0.3
	// --disable unwoa: no intervention "unwoa" in this scenario (did you mean "unowa"?) (interventions: ecowas, unowa, inquiry, ohchr)
}
