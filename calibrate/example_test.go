package calibrate_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/escalate-sim/escalate/calibrate"
	"github.com/escalate-sim/escalate/calibrate/acd"
)

// Fit the annual transitions of 1971-2009 to the embedded UCDP/PRIO ACD.
func ExampleFitMarkov() {
	d, err := acd.ReadData(bytes.NewReader(acd.DefaultACD()), acd.DefaultACDName)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _, err := d.Code(acd.DefaultCoding(), acd.DefaultStates())
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := calibrate.FitMarkov(p, 1971, 2009, 1000, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, row := range m.P {
		fmt.Printf("from %-5s n = %4d: %5.2f%% %5.2f%% %5.2f%%\n", acd.Names[i], m.Counts.Row(i), 100*row[0], 100*row[1], 100*row[2])
	}
	fmt.Printf("long run: %.1f%% %.1f%% %.1f%%\n", 100*m.Stationary[0], 100*m.Stationary[1], 100*m.Stationary[2])
	// Output:
	// from none  n = 5115: 96.74%  2.87%  0.39%
	// from minor n =  712: 19.66% 69.52% 10.81%
	// from war   n =  330:  6.36% 23.64% 70.00%
	// long run: 82.6% 12.0% 5.4%
}

// The long-run shares of a chain, and the expected stay in each stage.
func ExampleStationary() {
	p := calibrate.Matrix{
		{0.9701, 0.0264, 0.0035},
		{0.1969, 0.6948, 0.1083},
		{0.0636, 0.2364, 0.7000},
	}
	pi, err := calibrate.Stationary(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f %.3f %.3f\n", pi[0], pi[1], pi[2])
	fmt.Printf("mean stay in war: %.1f years\n", 1/(1-p[2][2]))
	// Output:
	// 0.839 0.111 0.050
	// mean stay in war: 3.3 years
}

// Kaplan-Meier survival of spells of 1, 2 (censored), 3 and 4 years: the
// censored spell leaves the risk set without ending.
func ExampleKaplanMeier() {
	s := calibrate.KaplanMeier([]int{1, 2, 3, 4}, []bool{true, false, true, true}, 4)
	fmt.Println(s)
	// Output:
	// [1 0.75 0.75 0.375 0]
}

// Replace the generated block of a scenario file, keeping the rest.
func ExampleReplaceBlock() {
	file := "title = \"x\"\n" + calibrate.BlockBegin + "\nold = 1\n" + calibrate.BlockEnd + "\n[country.a]\n"
	out, err := calibrate.ReplaceBlock([]byte(file), calibrate.BlockBegin+"\nnew = 2\n"+calibrate.BlockEnd+"\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// title = "x"
	// # calibrate:begin
	// new = 2
	// # calibrate:end
	// [country.a]
}

// ExampleSimulateTension draws a panel from the tension model's baseline
// and counts its annual transitions.
func ExampleSimulateTension() {
	var p [calibrate.NumTensionParams]float64
	p[calibrate.ParamPressureLogitMean] = math.Log(0.2 / 0.8) // median pressure 0.2
	p[calibrate.ParamPressureLogitSD] = 1
	p[calibrate.ParamReversion] = 0.1
	p[calibrate.ParamVolatility] = 0.06
	panel := calibrate.SimulateTension(p, 100, 1971, 2009, 1)
	c := calibrate.CountTransitions(panel, 1971, 2009)
	fmt.Println(len(panel.Units), "countries,", c.Total(), "transitions")
	fmt.Println("from none:", c[0])
	// Output:
	// 100 countries, 3900 transitions
	// from none: [1969 386 0]
}
