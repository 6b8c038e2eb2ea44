//go:build tools

// Keeps the CAPI managers' packages in the module graph so that `go mod tidy` retains their
// dependencies; a later step builds them with `go build sigs.k8s.io/cluster-api/core` and so on.
package tools

import (
	_ "sigs.k8s.io/cluster-api/bootstrap/kubeadm"
	_ "sigs.k8s.io/cluster-api/controlplane/kubeadm"
	_ "sigs.k8s.io/cluster-api/core"
)
