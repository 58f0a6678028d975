package exercise

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// Reference strategies of the debrief: no mission, and the scenario as
// written. The exported file adds them when the scenario lacks them.
const (
	NoneStrategy       = "none"
	HistoricalStrategy = "historical"
)

// ExportName is the name the exported scenario file of exercise id is
// saved under: the debrief's command names it, and escalate compare
// records it in the comparison's provenance.
func ExportName(id string) string { return "exercise-" + id + ".toml" }

// missionPlan is what a team's applied decisions do to one mission.
type missionPlan struct {
	launched    bool
	launchMonth int
	staff       float64 // at launch
	changes     []sim.StaffChange
	endMonth    int // 0: not ended
	// steps describe the decisions in words, for the strategy's
	// description.
	steps []step
}

type step struct {
	month int
	words string
}

// plans returns, for every mission of base, what team's decisions of the
// rounds before round do to it. Decisions were checked when they were
// made, so they apply in order without conflict.
func plans(t *Team, base *sim.Scenario, round int) []missionPlan {
	out := make([]missionPlan, len(base.Interventions))
	for _, d := range t.Decisions {
		if d.Round >= round {
			continue
		}
		for _, a := range d.Actions {
			i := missionIndex(base, a.Mission)
			if i < 0 {
				continue // checked when decided; a file cannot lose it
			}
			p := &out[i]
			switch a.Action {
			case Launch:
				p.launched, p.launchMonth = true, d.Month
				p.staff = base.Interventions[i].Staff
				if a.Staff != nil {
					p.staff = *a.Staff
				}
				p.steps = append(p.steps, step{d.Month, fmt.Sprintf("month %d launch %s with %s staff", d.Month, a.Mission, fmtNum(p.staff))})
			case Resize:
				p.changes = append(p.changes, sim.StaffChange{Month: d.Month + 1, Staff: *a.Staff})
				p.steps = append(p.steps, step{d.Month, fmt.Sprintf("month %d resize %s to %s", d.Month, a.Mission, fmtNum(*a.Staff))})
			case End:
				p.endMonth = d.Month + 1
				p.steps = append(p.steps, step{d.Month, fmt.Sprintf("month %d end %s", d.Month, a.Mission)})
			}
		}
	}
	return out
}

func missionIndex(sc *sim.Scenario, id string) int {
	return slices.IndexFunc(sc.Interventions, func(iv sim.Intervention) bool { return iv.ID == id })
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var buf bytes.Buffer
	toml.NewEncoder(&buf).Encode(map[string]string{"v": s})
	return strings.TrimSpace(strings.TrimPrefix(buf.String(), "v = "))
}

// export writes st's scenario file with the exercise added: the injected
// events as [country.ID.event.NAME] tables, the reference strategies if
// the file lacks them, and one [strategy.team_SLUG] per team with its
// decisions of the closed rounds.
func export(st *State, f *scenarios.File, base *sim.Scenario) []byte {
	var buf bytes.Buffer
	buf.Write(bytes.TrimRight(f.Data, "\n"))
	// Not the run played: teams may download this file during the
	// exercise, and with the run index they could play ahead.
	fmt.Fprintf(&buf, "\n\n# Added by escalate serve: exercise %s; its debrief is\n#   %s\n", st.ID, Command(st))
	for _, e := range st.Events {
		fmt.Fprintf(&buf, "\n[country.%s.event.%s]\nmonth = %d\nsize = %s\n", e.Country, e.Name, e.Month, fmtNum(e.Size))
	}
	has := func(id string) bool {
		return slices.ContainsFunc(f.Strategies, func(s scenarios.Strategy) bool { return s.ID == id })
	}
	if !has(NoneStrategy) {
		fmt.Fprintf(&buf, "\n[strategy.%s]\nname = \"No mission\"\ndescription = \"Nobody intervenes.\"\ndisable = [\"*\"]\n", NoneStrategy)
	}
	if !has(HistoricalStrategy) {
		fmt.Fprintf(&buf, "\n[strategy.%s]\nname = \"As planned\"\ndescription = \"The missions as the scenario writes them.\"\n", HistoricalStrategy)
	}
	for i := range st.Teams {
		writeTeam(&buf, &st.Teams[i], base, st.Round)
	}
	return buf.Bytes()
}

// writeTeam writes team t's strategy: every mission it never launched
// switched off; the others launched when it decided (no trigger), with
// its staff, staff changes and end. A mission's own timed decisions in the
// file give way to the team's.
func writeTeam(buf *bytes.Buffer, t *Team, base *sim.Scenario, round int) {
	ps := plans(t, base, round)
	var off, sets []string
	var steps []step
	set := func(id, key, value string) {
		sets = append(sets, fmt.Sprintf("%q = %s", "intervention."+id+"."+key, value))
	}
	for i, p := range ps {
		iv := &base.Interventions[i]
		if !p.launched {
			off = append(off, strconv.Quote(iv.ID))
			continue
		}
		steps = append(steps, p.steps...)
		set(iv.ID, "trigger", `"none"`)
		set(iv.ID, "start_month", strconv.Itoa(p.launchMonth))
		set(iv.ID, "staff", fmtNum(p.staff))
		if len(iv.StaffFrom) > 0 {
			set(iv.ID, "staff_from", "{}") // clears the file's schedule
		}
		for _, c := range p.changes {
			set(iv.ID, "staff_from."+strconv.Itoa(c.Month), fmtNum(c.Staff))
		}
		if p.endMonth > 0 || iv.EndMonth > 0 {
			set(iv.ID, "end_month", strconv.Itoa(p.endMonth))
		}
	}
	desc := "Team " + t.Name + " launched no mission."
	slices.SortStableFunc(steps, func(a, b step) int { return a.month - b.month })
	var words []string
	for _, s := range steps {
		words = append(words, s.words)
	}
	if len(words) > 0 {
		desc = "Team " + t.Name + ": " + strings.Join(words, "; ") + "."
	}
	fmt.Fprintf(buf, "\n[strategy.%s]\nname = %s\ndescription = %s\n", t.Strategy(), tomlString(t.Name), tomlString(desc))
	if len(off) == len(ps) && len(ps) > 0 {
		buf.WriteString("disable = [\"*\"]\n")
	} else if len(off) > 0 {
		fmt.Fprintf(buf, "disable = [%s]\n", strings.Join(off, ", "))
	}
	if len(sets) > 0 {
		fmt.Fprintf(buf, "set = { %s }\n", strings.Join(sets, ", "))
	}
}

// Strategies returns the strategies the debrief compares, in order: no
// mission (the baseline of the paired differences), the plan as written,
// then every team in join order.
func Strategies(st *State) []string {
	out := []string{NoneStrategy, HistoricalStrategy}
	for i := range st.Teams {
		out = append(out, st.Teams[i].Strategy())
	}
	return out
}

// Command is the escalate compare command that prints the debrief's
// comparison, byte for byte, on the exported file saved under its
// ExportName.
func Command(st *State) string {
	return fmt.Sprintf("escalate compare %s --strategies %s --runs %d --seed %d --format json",
		ExportName(st.ID), strings.Join(Strategies(st), ","), st.DebriefRuns, st.Seed)
}
