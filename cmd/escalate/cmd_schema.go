package main

import (
	"context"
	"io"

	"github.com/escalate-sim/escalate/scenarios"
)

const schemaDoc = `
Print a JSON Schema of scenario files, for editors whose TOML language
server completes and checks keys (Even Better TOML / taplo): save it and
point a file at it with a first line "#:schema ./escalate.schema.json".
It is derived from the same key table as "escalate help format"; what
relates keys (thresholds in order, references, months within the horizon)
only "escalate validate" checks. A copy is in the repository as
scenarios/escalate.schema.json.
`

func cmdSchema(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("schema", "", schemaDoc)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("schema takes no arguments")
	}
	_, err = stdout.Write(scenarios.JSONSchema())
	return err
}
