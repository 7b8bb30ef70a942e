package main

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// kstatus is status.Compute, the function Flux's health checks (fluxcd/pkg/ssa) call.
func kstatus(obj *unstructured.Unstructured) (verdict, error) {
	result, err := status.Compute(obj)
	if err != nil {
		return verdict{}, err
	}
	return verdict{Status: result.Status.String(), Message: result.Message}, nil
}
