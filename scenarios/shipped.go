package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"github.com/escalate-sim/escalate/internal/inputfile"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed *.toml
var shipped embed.FS

// Info describes a shipped scenario.
type Info struct {
	Name  string
	Title string
}

// Shipped lists the shipped scenarios in name order.
func Shipped() ([]Info, error) {
	entries, err := fs.ReadDir(shipped, ".")
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".toml")
		f, err := Open(name)
		if err != nil {
			return nil, err
		}
		sc, err := f.Scenario()
		if err != nil {
			return nil, err
		}
		out = append(out, Info{Name: name, Title: sc.Title})
	}
	return out, nil
}

// ShippedSource returns the text of a shipped scenario.
func ShippedSource(name string) ([]byte, error) {
	data, err := shipped.ReadFile(name + ".toml")
	if err != nil {
		msg := fmt.Sprintf("no shipped scenario %q", name)
		if base := strings.TrimSuffix(name, ".toml"); base != name && slices.Contains(shippedNames(), base) {
			msg += fmt.Sprintf("; the shipped scenario is named %s, without .toml", base)
		} else if s := Suggest(name, shippedNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return nil, errors.New(msg)
	}
	return data, nil
}

// shippedNames lists the shipped scenarios' names, sorted.
func shippedNames() []string {
	var names []string
	if infos, err := Shipped(); err == nil {
		for _, i := range infos {
			names = append(names, i.Name)
		}
	}
	slices.Sort(names)
	return names
}

// Open parses a shipped scenario by name.
func Open(name string) (*File, error) {
	data, err := ShippedSource(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// Load parses a scenario named on the command line: a file path, or the
// name of a shipped scenario. A file that exists wins over a shipped name;
// a folder does not.
func Load(arg string) (*File, error) {
	data, err := readLimited(arg)
	if err == nil {
		return Parse(arg, data)
	}
	// "/" is a separator on every system (Windows too).
	looksLikePath := strings.ContainsAny(arg, "/"+string(filepath.Separator)) || strings.HasSuffix(arg, ".toml")
	if errors.Is(err, errDirectory) && !looksLikePath {
		// A folder named like a shipped scenario (often one's own
		// output, written into a folder of the scenario's name) must not hide
		// the scenario; ./NAME still names the folder.
		if src, serr := ShippedSource(arg); serr == nil {
			return Parse(arg, src)
		}
	}
	if !errors.Is(err, fs.ErrNotExist) || looksLikePath {
		if name := strings.TrimSuffix(arg, ".toml"); errors.Is(err, fs.ErrNotExist) && slices.Contains(shippedNames(), name) {
			return nil, fmt.Errorf("%w; the shipped scenario is named %s, without .toml", err, name)
		}
		return nil, err
	}
	if src, serr := ShippedSource(arg); serr == nil {
		return Parse(arg, src)
	}
	names := shippedNames()
	hint := ""
	if _, err := os.Stat(arg + ".toml"); err == nil {
		hint = fmt.Sprintf("; did you mean the file %s.toml?", arg)
	} else if s := Suggest(arg, names); s != "" {
		hint = fmt.Sprintf("; did you mean %s?", s)
	}
	return nil, fmt.Errorf("%s: no such file and no shipped scenario of that name (shipped: %s)%s", arg, strings.Join(names, ", "), hint)
}

var errDirectory = inputfile.ErrDirectory

// readLimited reads a scenario file of at most MaxFileSize bytes: only a
// regular file (see inputfile).
func readLimited(path string) ([]byte, error) {
	return inputfile.Read(path, "a scenario", MaxFileSize)
}
