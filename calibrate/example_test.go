package calibrate_test

import (
	"bytes"
	"fmt"

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
