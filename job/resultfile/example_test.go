package resultfile_test

import (
	"fmt"

	"github.com/escalate-sim/escalate/job/resultfile"
)

func ExampleRecipe_Command() {
	r := resultfile.Recipe{
		Kind: "sweep", Sources: []string{"my scenario.toml"}, Runs: 10000, Seed: 1,
		Strategy: "fast", Vary: []string{"intervention.unowa.staff=10,20"},
	}
	fmt.Println(r.Command())
	// Output: escalate sweep 'my scenario.toml' --runs 10000 --seed 1 --strategy fast --vary intervention.unowa.staff=10,20
}

func ExampleShard_Span() {
	for i := range int64(3) {
		first, n := resultfile.Shard{Index: i, Count: 3}.Span(10)
		fmt.Printf("shard %d/3: runs %d to %d\n", i, first, first+n-1)
	}
	// Output:
	// shard 0/3: runs 0 to 2
	// shard 1/3: runs 3 to 5
	// shard 2/3: runs 6 to 9
}

func ExampleDiff() {
	fmt.Println(resultfile.Diff([]byte(`{"runs": 701, "seed": 1}`), []byte(`{"runs": 700, "seed": 1}`)))
	// Output: [runs: was 701, now 700]
}

func ExampleKind() {
	kind, err := resultfile.Kind("x.json", []byte(`{"strategies": [], "provenance": {}}`))
	fmt.Println(kind, err)
	_, err = resultfile.Kind("x.json", []byte(`{"hello": 1}`))
	fmt.Println(err)
	// Output:
	// comparison <nil>
	// x.json: not a summary.json, comparison.json or sweep.json of escalate
}
