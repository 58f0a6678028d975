package main

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
)

func TestSchemaCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"schema"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), scenarios.JSONSchema()) {
		t.Error("escalate schema does not print scenarios.JSONSchema()")
	}
	if err := run(context.Background(), []string{"schema", "x"}, io.Discard, io.Discard); err == nil {
		t.Error("escalate schema x: no error")
	}
}
