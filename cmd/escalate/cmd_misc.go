package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/escalate-sim/escalate/scenarios"
)

const validateDoc = `
Check scenario files without running them. Every problem is printed as
FILE:LINE: KEY: what is wrong. The exit status is 1 if any file has a problem.
Shipped scenario names are accepted too.
`

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "FILE...", validateDoc)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("validate: name at least one scenario file (see escalate help validate)")
	}
	bad := 0
	for _, p := range pos {
		f, err := scenarios.Load(p)
		if err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		sc, _ := f.Scenario()
		fmt.Fprintf(stdout, "%s: ok: %q, %s, %s, %s, %s, %s dynamics\n", p, sc.Title,
			count(len(sc.Countries), "country", "countries"), count(len(sc.Interventions), "intervention", "interventions"),
			count(len(f.Strategies), "strategy", "strategies"), nMonths(sc.Horizon), sc.Model.Dynamics)
	}
	if bad > 0 {
		if bad == 1 && len(pos) == 1 {
			return reported()
		}
		return fmt.Errorf("%d of %d files have problems", bad, len(pos))
	}
	return nil
}

const listDoc = `
List the shipped scenarios: one per line, the name first, then the title.
Run one with "escalate run NAME"; print it with "escalate show NAME".
`

func cmdList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("list", "", listDoc)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("list takes no arguments")
	}
	infos, err := scenarios.Shipped()
	if err != nil {
		return err
	}
	tw := newTable(stdout)
	for _, i := range infos {
		fmt.Fprintf(tw, "%s\t%s\n", i.Name, i.Title)
	}
	return tw.Flush()
}

const showDoc = `
Print a shipped scenario's TOML, with the comments that explain every number,
so you can copy it and edit it:

  escalate show guinea-2009 > my-guinea.toml
  escalate run my-guinea.toml
`

func cmdShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("show", "NAME", showDoc)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("show: want one shipped scenario name (see escalate list)")
	}
	data, err := scenarios.ShippedSource(pos[0])
	if err != nil {
		return err
	}
	_, err = stdout.Write(data)
	return err
}

const helpDoc = `
Show help for a command ("escalate help run"), or the reference of every
key a scenario file may hold ("escalate help format").
`

func cmdHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		printUsage(stdout)
		return nil
	}
	if args[0] == "format" {
		fmt.Fprint(stdout, scenarios.Reference())
		return nil
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, []string{"-h"}, stdout, stderr)
		}
		names = append(names, c.name)
	}
	return usagef("help: unknown topic %q (commands: %s; or format)", args[0], strings.Join(names, ", "))
}

// count is "1 country" or "3 countries".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
