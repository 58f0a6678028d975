package resultfile

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Diff lists the paths at which two JSON documents differ (at most 12),
// such as "provenance.runs: was 701, now 700", for a person to read.
func Diff(a, b []byte) []string {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return []string{"(not comparable as JSON)"}
	}
	var out []string
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		if len(out) >= 12 {
			return
		}
		switch xv := x.(type) {
		case map[string]any:
			yv, ok := y.(map[string]any)
			if !ok {
				out = append(out, path+": type differs")
				return
			}
			keys := map[string]bool{}
			for k := range xv {
				keys[k] = true
			}
			for k := range yv {
				keys[k] = true
			}
			ks := make([]string, 0, len(keys))
			for k := range keys {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				walk(strings.TrimPrefix(path+"."+k, "."), xv[k], yv[k])
			}
		case []any:
			yv, ok := y.([]any)
			if !ok || len(yv) != len(xv) {
				out = append(out, fmt.Sprintf("%s: length or type differs", path))
				return
			}
			for i := range xv {
				walk(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i])
			}
		default:
			if !reflect.DeepEqual(x, y) {
				out = append(out, fmt.Sprintf("%s: was %v, now %v", path, x, y))
			}
		}
	}
	walk("", x, y)
	if len(out) == 0 {
		out = append(out, "(same values, different formatting)")
	}
	return slices.Clip(out)
}
