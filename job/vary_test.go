package job

import (
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
)

// FuzzVary feeds arbitrary --vary arguments to the parser.
func FuzzVary(f *testing.F) {
	for _, s := range []string{"intervention.x.staff=0:10:2", "model.war_threshold=0.7:0.8:0.05", "a=1,2,3", "a=1:2", "a=:::", "a=1e308:1e309:1", "a=0:1:1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseVary(s)
		if err != nil {
			return
		}
		if len(d.Values) == 0 || len(d.Values) > resultfile.MaxSweepPoints {
			t.Fatalf("%q: %d values", s, len(d.Values))
		}
	})
}
