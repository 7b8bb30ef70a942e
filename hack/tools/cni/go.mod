// Pins the CNI plugins that hack/node.sh installs: only loopback, which the minimal network
// configuration names so that the runtime reports its network ready (the node's Pods use the
// host's network; nothing here changes routes, iptables or forwarding).
module mta-sts-operator/hack/tools/cni

go 1.26.8

tool github.com/containernetworking/plugins/plugins/main/loopback

require (
	github.com/containernetworking/cni v1.3.1 // indirect
	github.com/containernetworking/plugins v1.10.0 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/vishvananda/netlink v1.3.1 // indirect
	github.com/vishvananda/netns v0.0.5 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
