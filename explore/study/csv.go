package study

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/escalate-sim/escalate/scenarios"
)

// CSVWriter writes experiments.csv: one row per point and strategy, with
// the point's parameter values, P(war) with its 95% interval, mean months
// at war and mean cost.
type CSVWriter struct {
	w *csv.Writer
	s *Study
}

// NewCSVWriter writes the header and returns a writer for PointResults.
func NewCSVWriter(w io.Writer, s *Study) (*CSVWriter, error) {
	c := &CSVWriter{w: csv.NewWriter(w), s: s}
	head := []string{"point", "strategy"}
	for _, u := range s.cfg.Uncertain {
		head = append(head, u.Key())
	}
	head = append(head, "p_war", "p_war_lo", "p_war_hi", "war_months", "cost")
	return c, c.w.Write(head)
}

// Write writes a point's rows.
func (c *CSVWriter) Write(pr PointResult) error {
	for v, o := range pr.Outcomes {
		row := []string{strconv.Itoa(pr.Index + 1), c.s.Strategies[v].ID}
		for _, x := range pr.Values {
			if s, ok := x.(string); ok {
				row = append(row, s)
			} else {
				row = append(row, scenarios.FormatValue(x))
			}
		}
		row = append(row, f(o.PWar), f(o.PWarCI[0]), f(o.PWarCI[1]), f(o.WarMonths), f(o.Cost))
		if err := c.w.Write(row); err != nil {
			return err
		}
	}
	return c.w.Error()
}

// Flush writes any buffered rows.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

func f(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
