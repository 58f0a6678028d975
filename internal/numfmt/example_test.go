package numfmt_test

import (
	"fmt"

	"github.com/escalate-sim/escalate/internal/numfmt"
)

func ExamplePoints() {
	fmt.Println(numfmt.Points(-0.1795), numfmt.Points(0.015), numfmt.Points(0))
	// Output: -17.9 +1.5 0.0
}

func ExampleSigned() {
	// A months-at-war difference of -0.003 with interval [-0.004, -0.0002].
	fmt.Printf("%s [%s, %s]\n", numfmt.Signed(-0.003, 2), numfmt.Signed(-0.004, 2), numfmt.Signed(-0.0002, 2))
	// Output: -0.003 [-0.004, -0.0002]
}
