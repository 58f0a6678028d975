package atomicfs_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/escalate-sim/escalate/internal/atomicfs"
)

// A directory of outputs appears whole or not at all.
func ExampleCreateDir() {
	parent, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(parent)
	out, err := atomicfs.CreateDir(context.Background(), "--out", filepath.Join(parent, "results"), false)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer out.Abort()
	if err := out.WriteFile("summary.json", []byte("{}\n")); err != nil {
		fmt.Println(err)
		return
	}
	_, err = os.Stat(filepath.Join(parent, "results"))
	fmt.Println("before Commit, exists:", err == nil)
	if err := out.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(filepath.Join(parent, "results", "summary.json"))
	fmt.Printf("after Commit: %s", data)
	// Output:
	// before Commit, exists: false
	// after Commit: {}
}

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "chart.svg")
	err := atomicfs.WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "<svg/>\n")
		return err
	})
	data, _ := os.ReadFile(path)
	fmt.Printf("%v %s", err, data)
	// Output: <nil> <svg/>
}
