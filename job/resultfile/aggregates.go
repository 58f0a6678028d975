package resultfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// AggregatesFormat names the layout of aggregates.json; readers refuse
// other layouts.
const AggregatesFormat = "escalate-aggregates/1"

// Aggregates is aggregates.json: the raw counts of a run or a shard, which
// merge exactly. The provenance is that of the whole job.
type Aggregates struct {
	Format     string     `json:"format"`
	Provenance Provenance `json:"provenance"`
	Seed       uint64     `json:"seed"`
	Shard      *Shard     `json:"shard,omitempty"`
	// Scenario is the resolved scenario (after strategy and overrides), so
	// that shards merge without the original files.
	Scenario *sim.Scenario `json:"scenario"`
	Result   *sim.Result   `json:"result"`
}

// ReadAggregates reads and checks one aggregates.json.
func ReadAggregates(path string) (*Aggregates, error) {
	data, err := ReadLimited(path, MaxAggregatesSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: not found; merge reads the --out directories of escalate run", path)
	}
	if err != nil {
		return nil, err
	}
	return ParseAggregates(path, data)
}

// ParseAggregates decodes aggregates.json strictly and checks that its
// counts fit its scenario, so that a damaged or edited file gives an error
// rather than a wrong result or a crash. A file without a shard is shard
// 0/1.
func ParseAggregates(path string, data []byte) (*Aggregates, error) {
	if len(data) > MaxAggregatesSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxAggregatesSize)
	}
	var af Aggregates
	if err := decodeStrict(path, data, &af, "valid aggregates file"); err != nil {
		return nil, err
	}
	if af.Format != AggregatesFormat {
		return nil, fmt.Errorf("%s: format %q, want %q (written by another version of escalate?)", path, af.Format, AggregatesFormat)
	}
	if af.Scenario == nil || af.Result == nil {
		return nil, fmt.Errorf("%s: missing scenario or result", path)
	}
	if err := af.Scenario.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid scenario: %w", path, err)
	}
	if strings.HasPrefix(af.Provenance.Tool, "escalate 0.1.") {
		// Its counts lack what later versions record (exact peak ranges)
		// and its fingerprint hashed a Go struct.
		return nil, fmt.Errorf("%s: written by %s, whose aggregates this version cannot merge; merge them with that version, or run the shards again", path, af.Provenance.Tool)
	}
	if got := Fingerprint(af.Scenario); got != af.Provenance.ScenarioSHA256 {
		return nil, fmt.Errorf("%s: the scenario does not match its recorded SHA-256 (file edited?)", path)
	}
	// Merging into empty aggregates checks every length against the
	// scenario's shape.
	if err := sim.NewResult(af.Scenario).Merge(af.Result); err != nil {
		return nil, fmt.Errorf("%s: counts do not fit the scenario: %w", path, err)
	}
	if err := checkCounts(af.Result, af.Scenario); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if af.Shard == nil {
		af.Shard = &Shard{Index: 0, Count: 1}
	}
	if af.Shard.Count < 1 || af.Shard.Index < 0 || af.Shard.Index >= af.Shard.Count {
		return nil, fmt.Errorf("%s: shard %d/%d is out of range", path, af.Shard.Index, af.Shard.Count)
	}
	return &af, nil
}

// Merge checks that parts are the shards of one job (see Order) and
// returns the summary of all of them together, as one run of the whole
// job gives it, with the merged counts and the shard order.
func Merge(names []string, parts []*Aggregates) (*Summary, *sim.Result, []int, error) {
	order, err := Order(names, parts)
	if err != nil {
		return nil, nil, nil, err
	}
	first := parts[order[0]]
	res := sim.NewResult(first.Scenario)
	for _, i := range order {
		if err := res.Merge(parts[i].Result); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", names[i], err)
		}
	}
	sum := &Summary{Summary: sim.Summarize(first.Scenario, res, first.Seed), Provenance: first.Provenance}
	return sum, res, order, nil
}

// CheckCounts rejects negative counts, histograms that do not add up to
// the number of runs and counts of runs at war that contradict each other.
func CheckCounts(r *sim.Result) error { return checkCounts(r, nil) }

// checkCounts is CheckCounts for a result of sc: a mission of sc whose
// staff changes (staff_from) counts its staff shares in units of its
// largest staff, so its shares may sum to less than its acting months.
// Without sc every mission must place its whole staff in every month.
func checkCounts(r *sim.Result, sc *sim.Scenario) error {
	if r.Runs < 0 {
		return fmt.Errorf("negative run count %d", r.Runs)
	}
	if r.Runs > math.MaxInt64/int64(r.Horizon+1)/sim.ShareUnit {
		// Staff shares, counted per run and month, would overflow.
		return fmt.Errorf("run count %d is beyond what the counts can hold", r.Runs)
	}
	// sum adds counts that must lie in [0, limit] and add up to at most
	// limit; checking as it goes, no edited count can wrap the sum around.
	sum := func(h []int64, limit int64) (int64, bool) {
		t := int64(0)
		for _, v := range h {
			if v < 0 || v > limit-t {
				return 0, false
			}
			t += v
		}
		return t, true
	}
	hists := [][]int64{r.AnyWar.WarMonths, r.AnyWar.Onsets}
	for i := range r.Countries {
		c := &r.Countries[i]
		hists = append(hists, c.WarMonths, c.Onsets, c.FinalStage[:])
		for m := range c.Occupancy {
			hists = append(hists, c.Occupancy[m][:])
		}
		hists = append(hists, c.Tension...)
		if len(c.PeakTension) > 0 {
			hists = append(hists, c.PeakTension)
		}
	}
	for i := range r.Interventions {
		hists = append(hists, r.Interventions[i].ActiveMonths)
	}
	for _, h := range hists {
		if t, ok := sum(h, r.Runs); !ok || t != r.Runs {
			return fmt.Errorf("counts are negative or do not add up to %d runs", r.Runs)
		}
	}
	// The counts of runs with a war must agree with each other: first
	// months at war add up to the runs ever at war, and those are exactly
	// the runs with at least one war episode; a country's last month is
	// its final stage; war in any country is at least as common as in the
	// most warlike country and at most as common as in all together.
	var mostWar, allWar int64
	for i := range r.Countries {
		c := &r.Countries[i]
		if last := c.Occupancy[len(c.Occupancy)-1]; last != c.FinalStage {
			return fmt.Errorf("country %d: final stages %v differ from the stages of the last month %v", i+1, c.FinalStage, last)
		}
		for m := range c.TensionMin {
			lo, hi := c.TensionMin[m], c.TensionMax[m]
			// Without runs the range is empty: lowest 1, highest 0.
			if !(lo >= 0 && lo <= 1 && hi >= 0 && hi <= 1 && (lo <= hi || r.Runs == 0)) {
				return fmt.Errorf("country %d: month %d: tension range [%v, %v] is not within [0, 1]", i+1, m, lo, hi)
			}
		}
		mostWar, allWar = max(mostWar, c.EverWar), allWar+min(max(c.EverWar, 0), r.Runs)
	}
	outcomes := []*sim.Outcome{&r.AnyWar}
	for i := range r.Countries {
		outcomes = append(outcomes, &r.Countries[i].Outcome)
	}
	for i, o := range outcomes {
		first, ok := sum(o.FirstWar, r.Runs)
		if !ok || o.EverWar < 0 || o.EverWar > r.Runs || first != o.EverWar || r.Runs-o.Onsets[0] != o.EverWar {
			what := "any country"
			if i > 0 {
				what = fmt.Sprintf("country %d", i)
			}
			return fmt.Errorf("%s: counts of runs at war disagree (ever at war %d, by first month %d, with a war episode %d, of %d runs)",
				what, o.EverWar, first, r.Runs-o.Onsets[0], r.Runs)
		}
	}
	if len(r.Countries) > 1 && (r.AnyWar.EverWar < mostWar || r.AnyWar.EverWar > allWar) {
		return fmt.Errorf("any country: %d runs at war, but a single country has %d and all together %d", r.AnyWar.EverWar, mostWar, allWar)
	}
	for i := range r.Interventions {
		iv := &r.Interventions[i]
		active, ok := sum(iv.FirstActive, r.Runs)
		var months int64 // acting months over all runs: at most runs × horizon
		for m, k := range iv.ActiveMonths {
			months += int64(m) * k
		}
		shareLimit := int64(math.MaxInt64)
		if months < math.MaxInt64/sim.ShareUnit {
			shareLimit = months * sim.ShareUnit
		}
		shares, okShares := sum(iv.StaffShare, shareLimit)
		// Every acting month places the whole staff somewhere (or, with
		// a staff that changes, at most the whole largest staff).
		varies := sc != nil && i < len(sc.Interventions) && sc.Interventions[i].StaffVaries()
		if !ok || !okShares || iv.Consented < 0 || iv.Consented > r.Runs || iv.Launched < 0 || iv.Launched > r.Runs ||
			active != r.Runs-iv.ActiveMonths[0] || (shares != shareLimit && !varies) {
			return fmt.Errorf("intervention %d: counts are negative, above %d runs or disagree", i+1, r.Runs)
		}
	}
	return nil
}

// setList shows a shard's overrides as a reader would type them.
func setList(overrides []string) string {
	if len(overrides) == 0 {
		return "none"
	}
	return strings.Join(overrides, " ")
}

// Order verifies that parts are the shards of one job, each exactly once,
// and returns their indices in shard order; names are the parts' names
// (their directories) for messages.
func Order(names []string, parts []*Aggregates) ([]int, error) {
	ref := parts[0]
	for i, p := range parts[1:] {
		var diff []string
		if p.Provenance.Tool != ref.Provenance.Tool {
			diff = append(diff, fmt.Sprintf("tool %q vs %q", p.Provenance.Tool, ref.Provenance.Tool))
		}
		pp, rp := &p.Provenance, &ref.Provenance
		// Name what differs in the user's terms first; the SHA-256 alone
		// catches an edited file with the same name and flags.
		if pp.Source != rp.Source {
			diff = append(diff, fmt.Sprintf("scenario %s vs %s", pp.Source, rp.Source))
		}
		if pp.Strategy != rp.Strategy {
			diff = append(diff, fmt.Sprintf("strategy %q vs %q", pp.Strategy, rp.Strategy))
		}
		if !slices.Equal(pp.Overrides, rp.Overrides) {
			diff = append(diff, fmt.Sprintf("--set %s vs %s", setList(pp.Overrides), setList(rp.Overrides)))
		}
		if pp.ScenarioSHA256 != rp.ScenarioSHA256 && len(diff) == 0 {
			diff = append(diff, "scenario content (SHA-256 differs: was the file edited between shards?)")
		}
		if pp.Runs != rp.Runs {
			diff = append(diff, fmt.Sprintf("runs %d vs %d", pp.Runs, rp.Runs))
		}
		if p.Seed != ref.Seed {
			diff = append(diff, fmt.Sprintf("seed %d vs %d", p.Seed, ref.Seed))
		}
		if !reflect.DeepEqual(p.Provenance, ref.Provenance) && len(diff) == 0 {
			diff = append(diff, fmt.Sprintf("command %q vs %q", p.Provenance.Command, ref.Provenance.Command))
		}
		if p.Shard.Count != ref.Shard.Count {
			diff = append(diff, fmt.Sprintf("split into %d vs %d shards", p.Shard.Count, ref.Shard.Count))
		}
		if len(diff) > 0 {
			return nil, fmt.Errorf("%s and %s are not shards of the same run: %s", names[i+1], names[0], strings.Join(diff, "; "))
		}
	}
	n := ref.Shard.Count
	seen := map[int64]int{}
	var dups []string
	for i, p := range parts {
		if j, ok := seen[p.Shard.Index]; ok {
			dups = append(dups, fmt.Sprintf("shard %d/%d in both %s and %s", p.Shard.Index, n, names[j], names[i]))
			continue
		}
		seen[p.Shard.Index] = i
	}
	var missing []string
	for k := int64(0); k < n; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	// A shard copied and relabelled by hand carries another shard's
	// counts: in a scenario with any randomness, two shards' counts are
	// never identical otherwise. (A deterministic scenario's shards of
	// one size are identical, and merging them is right.)
	if len(dups) == 0 && random(ref.Scenario) {
		// A Markov path has few outcomes, so two small shards can match
		// by chance; from 100 runs on they cannot, in practice.
		least := int64(1)
		if ref.Scenario.Model.Dynamics == sim.Markov {
			least = 100
		}
		byContent := map[string]int{}
		for i, p := range parts {
			if p.Result.Runs < least {
				continue
			}
			data, err := json.Marshal(p.Result)
			if err != nil {
				return nil, err
			}
			if j, ok := byContent[string(data)]; ok {
				dups = append(dups, fmt.Sprintf("%s and %s hold identical counts (one copied from the other and relabelled?)", names[j], names[i]))
				continue
			}
			byContent[string(data)] = i
		}
	}
	var problems []string
	if len(dups) > 0 {
		problems = append(problems, "duplicate "+strings.Join(dups, ", "))
	}
	if len(missing) > 0 {
		problems = append(problems, "missing shards "+strings.Join(missing, ", "))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	order := make([]int, 0, n)
	for _, i := range seen {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return parts[order[a]].Shard.Index < parts[order[b]].Shard.Index })
	return order, nil
}

// random reports whether runs of sc can differ from one another.
func random(sc *sim.Scenario) bool {
	if sc.Model.Dynamics == sim.Markov {
		return true
	}
	for _, c := range sc.Countries {
		if c.Volatility > 0 || len(c.Shocks) > 0 {
			return true
		}
	}
	for _, iv := range sc.Interventions {
		if iv.Consent > 0 && iv.Consent < 1 {
			return true
		}
	}
	return false
}
