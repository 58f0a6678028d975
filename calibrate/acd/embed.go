package acd

import (
	"bytes"
	"embed"
	"fmt"
)

//go:embed data/UcdpPrioConflict_v23_1.csv data/gw_iisystem_2012.csv data/README.md
var data embed.FS

// The names of the embedded files, as errors and reports give them.
const (
	DefaultACDName    = "UcdpPrioConflict_v23_1.csv"
	DefaultStatesName = "gw_iisystem_2012.csv"
)

// DefaultACD returns the embedded UCDP/PRIO Armed Conflict Dataset, version
// 23.1, exactly as UCDP distributes it (CC BY 4.0; cite Gleditsch et al.
// 2002 and Davies, Pettersson and Öberg 2023).
func DefaultACD() []byte { return mustRead("data/" + DefaultACDName) }

// DefaultStates returns the embedded Gleditsch-Ward list of independent
// states, edition ending 2012-12-31.
func DefaultStates() []State {
	s, err := ReadStates(bytes.NewReader(mustRead("data/"+DefaultStatesName)), DefaultStatesName)
	if err != nil {
		panic(fmt.Sprintf("acd: the embedded list of states does not read: %v", err))
	}
	return s
}

// DataREADME returns the embedded data's README: sources, hashes, licence
// and citations.
func DataREADME() string { return string(mustRead("data/README.md")) }

func mustRead(name string) []byte {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("acd: embedded %s missing: %v", name, err))
	}
	return b
}
