package scenarios_test

import (
	"fmt"

	"github.com/escalate-sim/escalate/scenarios"
)

func ExampleParse() {
	f, err := scenarios.Parse("mine.toml", []byte(`
title = "Mine"
horizon_months = 24
[country.home]
initial_tension = 0.45
structural_pressure = 0.5
[intervention.envoy]
kind = "mediation"
country = "home"
staff = 5
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sc, _ := f.Scenario()
	fmt.Println(sc.Title, sc.Horizon, sc.Countries[0].ID, sc.Interventions[0].Kind, sc.Interventions[0].CostPerStaffMonth)
	// Output:
	// Mine 24 home mediation 13800
}

// Errors name the file, the line and the key.
func ExampleParse_error() {
	_, err := scenarios.Parse("mine.toml", []byte(`horizon_months = 24
[country.home]
initial_tension = 0.45
structural_presure = 0.5
`))
	fmt.Println(err)
	// Output:
	// mine.toml:2: country.home.structural_pressure: required key is missing (The level tension reverts to without shocks or missions (the structural attractor), before rule-of-law capacity lowers it.)
	// mine.toml:4: country.home.structural_presure: unknown key "structural_presure" (did you mean "structural_pressure"?)
}

func ExampleFile_Scenario() {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		fmt.Println(err)
		return
	}
	staff, _ := scenarios.ParseOverride("intervention.unowa.staff=30")
	sc, err := f.Scenario(staff)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, iv := range sc.Interventions {
		if iv.ID == "unowa" {
			fmt.Println(iv.Name, iv.Staff)
		}
	}
	// Output:
	// UNOWA good offices (UN envoy) 30
}

func ExampleFile_Strategy() {
	f, _ := scenarios.Open("guinea-2009")
	for _, st := range f.Strategies {
		sc, _ := f.Strategy(st.ID)
		fmt.Printf("%s: %d missions\n", st.ID, len(sc.Interventions))
	}
	// Output:
	// none: 0 missions
	// historical: 4 missions
	// fast: 4 missions
	// staff: 4 missions
}

func ExampleParseSetting() {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		panic(err)
	}
	o, err := scenarios.ParseSetting("intervention.unowa.staff=-1")
	if err != nil {
		panic(err)
	}
	o.Origin = "the form's staff field" // where the front end got the text
	_, err = f.Scenario(o)
	fmt.Println(err)
	// Output: guinea-2009: intervention.unowa.staff: must be between 0 and 100000, got -1 (set by the form's staff field)
}
