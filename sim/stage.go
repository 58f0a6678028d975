package sim

import "fmt"

// Stage is a country's conflict stage in one month.
type Stage uint8

// The three stages, in order of severity.
const (
	Latent Stage = iota
	Escalating
	War
)

// NumStages is the number of stages.
const NumStages = 3

var stageNames = [NumStages]string{"latent", "escalating", "war"}

// String returns the stage's name as written in scenario files.
func (s Stage) String() string {
	if int(s) < NumStages {
		return stageNames[s]
	}
	return fmt.Sprintf("Stage(%d)", uint8(s))
}

// ParseStage returns the stage with the given name ("latent", "escalating"
// or "war").
func ParseStage(name string) (Stage, error) {
	for i, n := range stageNames {
		if n == name {
			return Stage(i), nil
		}
	}
	return 0, fmt.Errorf("unknown stage %q (want latent, escalating or war)", name)
}

// StageNames returns the names of the stages in order.
func StageNames() []string { return stageNames[:] }

// StageOf returns the stage for tension x given the previous month's stage,
// the escalation and war thresholds e < w and the hysteresis h:
//
//	x >= w                      → war
//	prev = war and x >= w - h   → war
//	x >= e                      → escalating
//	prev >= escalating and x >= e - h → escalating
//	otherwise                   → latent
//
// The initial stage is StageOf(x0, Latent, e, w, 0).
func StageOf(x float64, prev Stage, e, w, h float64) Stage {
	switch {
	case x >= w:
		return War
	case prev == War && x >= w-h:
		return War
	case x >= e:
		return Escalating
	case prev >= Escalating && x >= e-h:
		return Escalating
	}
	return Latent
}
