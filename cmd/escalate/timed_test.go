package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// A regional mandate resized and ended by --set: shards merge to the single
// run byte for byte, the mean of runs.csv's costs is the summary's cost, and
// the cost is the closed form Σ staff × months × cost per staff-month.
func TestTimedDecisionsShardAndCost(t *testing.T) {
	dir := t.TempDir()
	sets := []string{
		"--set", "intervention.unrcca.staff_from.12=16",
		"--set", "intervention.unrcca.staff_from.24=2",
		"--set", "intervention.unrcca.end_month=30",
		"--set", "intervention.unrcca.consent=1",
	}
	run := func(out string, more ...string) {
		t.Helper()
		args := append([]string{"run", "central-asia", "--runs", "301", "--out", out, "--no-plots"}, sets...)
		if _, errs, code := escalate(t, append(args, more...)...); code != 0 {
			t.Fatal(errs)
		}
	}
	whole := filepath.Join(dir, "whole")
	run(whole)
	var dirs []string
	for i := range 3 {
		d := filepath.Join(dir, fmt.Sprint(i))
		run(d, "--shard", fmt.Sprintf("%d/3", i))
		dirs = append(dirs, d)
	}
	merged := filepath.Join(dir, "merged")
	if _, errs, code := escalate(t, append(append([]string{"merge"}, dirs...), "--out", merged, "--no-plots")...); code != 0 {
		t.Fatal(errs)
	}
	for _, f := range []string{"summary.json", "months.csv", "aggregates.json", "runs.csv"} {
		a, err1 := os.ReadFile(filepath.Join(whole, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the single run and the merged shards (%v %v)", f, err1, err2)
		}
	}

	var sum struct {
		Runs      int64
		Cost      struct{ Mean float64 }
		Countries []struct {
			ID   string
			Cost struct{ Mean float64 }
		}
		Interventions []struct {
			EndMonth  int `json:"end_month"`
			StaffFrom []struct {
				Month int
				Staff float64
			} `json:"staff_from"`
		}
	}
	data, err := os.ReadFile(filepath.Join(whole, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	iv := sum.Interventions[0]
	if iv.EndMonth != 30 || len(iv.StaffFrom) != 2 || iv.StaffFrom[0].Month != 12 || iv.StaffFrom[1].Staff != 2 {
		t.Errorf("summary's timed decisions: %+v", iv)
	}
	// Launched in month 0 with 6 months of start-up, it acts in months
	// 7..29: 5 at 8 staff, 12 at 16 and 6 at 2, at $13,800 a staff-month.
	want := float64(5*8+12*16+6*2) * 13800
	if sum.Cost.Mean != want {
		t.Errorf("mean cost %v, want %v", sum.Cost.Mean, want)
	}

	f, err := os.Open(filepath.Join(whole, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byCountry := map[string]float64{}
	total := 0.0
	for _, row := range rows[1:] {
		c, err := strconv.ParseFloat(row[col["cost"]], 64)
		if err != nil {
			t.Fatal(err)
		}
		byCountry[row[col["country"]]] += c
		total += c
	}
	// runs.csv rounds costs to the cent.
	if got := total / float64(sum.Runs); math.Abs(got-want) > 0.01*float64(len(sum.Countries)) {
		t.Errorf("runs.csv's costs average %v a run, want %v", got, want)
	}
	for _, c := range sum.Countries {
		if got := byCountry[c.ID] / float64(sum.Runs); math.Abs(got-c.Cost.Mean) > 0.01 {
			t.Errorf("%s: runs.csv's costs average %v, the summary says %v", c.ID, got, c.Cost.Mean)
		}
	}
}
