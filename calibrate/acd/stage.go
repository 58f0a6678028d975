package acd

import (
	"fmt"
	"strings"
)

// Stage is a country-year's conflict stage. Its values are also the row and
// column indices of transition matrices, and map onto escalate's stages:
// none = latent, minor = escalating, war = war.
type Stage int8

const (
	None  Stage = 0 // no conflict with 25 or more battle-related deaths
	Minor Stage = 1 // 25-999 battle-related deaths in the year
	War   Stage = 2 // 1,000 or more battle-related deaths in the year

	// Absent marks a year in which a unit is not in the panel (a state not
	// independent that year, or a gap in a panel file).
	Absent Stage = -1
)

// NumStages is the number of stages (None, Minor, War).
const NumStages = 3

// Names are the stages' names, indexed by stage.
var Names = [NumStages]string{"none", "minor", "war"}

func (s Stage) String() string {
	if s >= 0 && int(s) < NumStages {
		return Names[s]
	}
	return "absent"
}

// ParseStage reads a stage as a number (0, 1, 2) or a name (none, minor,
// war; case-insensitive).
func ParseStage(s string) (Stage, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "0", "none":
		return None, nil
	case "1", "minor":
		return Minor, nil
	case "2", "war":
		return War, nil
	}
	return Absent, fmt.Errorf("stage %q is not 0, 1, 2, none, minor or war", s)
}
