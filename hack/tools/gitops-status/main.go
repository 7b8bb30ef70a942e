// Command gitops-status tells what a GitOps tool would say of one Kubernetes object, read as JSON
// on stdin, and prints {"status": ..., "message": ...} as JSON on stdout:
//
//	gitops-status argocd-health SCRIPT.lua   the Lua health check, run the way Argo CD runs it
//	gitops-status kstatus                    sigs.k8s.io/cli-utils kstatus, as Flux computes it
//
// Exit status 0 when a status was computed, 1 when the script or the object is at fault (the
// message says which), 2 for a usage error.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// verdict is what both subcommands print: Argo CD's HealthStatus and kstatus's Result share it.
type verdict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

const usage = "usage: gitops-status argocd-health SCRIPT.lua < OBJECT.json\n" +
	"       gitops-status kstatus < OBJECT.json\n"

func main() {
	args := os.Args[1:]
	var compute func(*unstructured.Unstructured) (verdict, error)
	switch {
	case len(args) == 2 && args[0] == "argocd-health":
		script, err := os.ReadFile(args[1])
		if err != nil {
			fail(err)
		}
		compute = func(obj *unstructured.Unstructured) (verdict, error) {
			return argoHealth(obj, string(script))
		}
	case len(args) == 1 && args[0] == "kstatus":
		compute = kstatus
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	obj, err := readObject(os.Stdin)
	if err != nil {
		fail(err)
	}
	v, err := compute(obj)
	if err != nil {
		fail(err)
	}
	// encoding/json escapes what is not printable, so the object's bytes never reach a terminal raw.
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	if err := out.Encode(v); err != nil {
		fail(err)
	}
}

// readObject decodes the object as the API machinery does for both tools (integers as int64).
func readObject(r io.Reader) (*unstructured.Unstructured, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the object: %w", err)
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("the object on stdin is not a Kubernetes object in JSON: %w", err)
	}
	return obj, nil
}

func fail(err error) {
	fmt.Fprint(os.Stderr, "gitops-status: error: ")
	quoted := json.NewEncoder(os.Stderr) // quoted: the message may hold the object's bytes
	quoted.SetEscapeHTML(false)
	_ = quoted.Encode(err.Error())
	os.Exit(1)
}
