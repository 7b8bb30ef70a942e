// The anchor of tests/bench/operator_bench.sh: what client-go's informers hold for the objects the
// operator watches, read from the same control plane in the same run. It caches what the operator
// caches, selected the same way: MtaStsPolicies (unstructured), the policy ConfigMaps and the
// certificate Secrets (by label), and the operator's Certificates and DNSEndpoints (unstructured,
// by label). After the first sync it prints one JSON line: objects cached, seconds to sync, Go heap
// in use and process RSS, before and after.
//
//	informer_anchor -managed-fields=strip|keep     (KUBECONFIG names the control plane)
//
// Run it once per mode: each run is a fresh process, so one mode's garbage never counts in the
// other's figures.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

const managedBy = "app.kubernetes.io/managed-by=mta-sts-operator"

type memory struct {
	HeapBytes uint64 `json:"heap_bytes"`
	RSSBytes  uint64 `json:"rss_bytes"`
}

// measure collects garbage and returns it to the kernel first, so both figures count only what
// is still reachable, as the C++ bench measures after malloc_trim.
func measure() memory {
	runtime.GC()
	debug.FreeOSMemory()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return memory{HeapBytes: stats.HeapAlloc, RSSBytes: rss()}
}

func rss() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kib, _ := strconv.ParseUint(fields[1], 10, 64)
			return kib * 1024
		}
	}
	return 0
}

func stripManagedFields(obj interface{}) (interface{}, error) {
	if accessor, ok := obj.(metav1.Object); ok {
		accessor.SetManagedFields(nil)
	}
	return obj, nil
}

func main() {
	mode := flag.String("managed-fields", "strip", "strip (as the operator's cache does) or keep")
	flag.Parse()
	if *mode != "strip" && *mode != "keep" {
		fmt.Fprintf(os.Stderr, "informer_anchor: -managed-fields is strip or keep, not %q\n", *mode)
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "informer_anchor: %v\n", err)
		os.Exit(1)
	}
	// As the operator's client: no client-side rate limit in the way of the first list.
	config.QPS, config.Burst = 1000, 1000
	typed := kubernetes.NewForConfigOrDie(config)
	untyped := dynamic.NewForConfigOrDie(config)

	before := measure()
	start := time.Now()
	byLabel := func(selector string) func(*metav1.ListOptions) {
		return func(options *metav1.ListOptions) { options.LabelSelector = selector }
	}
	informersOf := map[string]cache.SharedIndexInformer{
		"mtastspolicies": dynamicinformer.NewFilteredDynamicInformer(untyped,
			schema.GroupVersionResource{Group: "mtasts.io", Version: "v1alpha1", Resource: "mtastspolicies"},
			metav1.NamespaceAll, 0, cache.Indexers{}, nil).Informer(),
		"configmaps": informers.NewSharedInformerFactoryWithOptions(typed, 0,
			informers.WithTweakListOptions(byLabel(managedBy+",mtasts.io/content=policy"))).
			Core().V1().ConfigMaps().Informer(),
		"secrets": informers.NewSharedInformerFactoryWithOptions(typed, 0,
			informers.WithTweakListOptions(byLabel(managedBy+",mtasts.io/content=certificate"))).
			Core().V1().Secrets().Informer(),
		"certificates": dynamicinformer.NewFilteredDynamicInformer(untyped,
			schema.GroupVersionResource{Group: "cert-manager.io", Version: "v1", Resource: "certificates"},
			metav1.NamespaceAll, 0, cache.Indexers{}, byLabel(managedBy)).Informer(),
		"dnsendpoints": dynamicinformer.NewFilteredDynamicInformer(untyped,
			schema.GroupVersionResource{Group: "externaldns.k8s.io", Version: "v1alpha1", Resource: "dnsendpoints"},
			metav1.NamespaceAll, 0, cache.Indexers{}, byLabel(managedBy)).Informer(),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var synced []cache.InformerSynced
	for _, informer := range informersOf {
		if *mode == "strip" {
			if err := informer.SetTransform(stripManagedFields); err != nil {
				fmt.Fprintf(os.Stderr, "informer_anchor: %v\n", err)
				os.Exit(1)
			}
		}
		go informer.Run(ctx.Done())
		synced = append(synced, informer.HasSynced)
	}
	if !cache.WaitForCacheSync(ctx.Done(), synced...) {
		fmt.Fprintln(os.Stderr, "informer_anchor: the caches did not sync")
		os.Exit(1)
	}
	syncSeconds := time.Since(start).Seconds()
	after := measure()

	objects := map[string]int{}
	total := 0
	for name, informer := range informersOf {
		objects[name] = len(informer.GetStore().ListKeys())
		total += objects[name]
	}
	perObject := 0.0
	if total > 0 {
		perObject = float64(after.HeapBytes-before.HeapBytes) / float64(total)
	}
	out, _ := json.Marshal(map[string]interface{}{
		"managed_fields":        *mode,
		"objects":               objects,
		"sync_seconds":          syncSeconds,
		"before":                before,
		"after":                 after,
		"heap_bytes_per_object": perObject,
		"go":                    runtime.Version(),
	})
	fmt.Println(string(out))
	runtime.KeepAlive(informersOf)
}
