{{/*
What the operator does, and nothing more (controller/reconciler.cc, controller/syncer.cc,
controller/manager.cc). Server-side apply is a patch, and a create when the object is new.
*/}}

{{/* In every namespace whose policies it manages. */}}
{{- define "mta-sts-operator.policyRules" -}}
- apiGroups: [mtasts.io]
  resources: [mtastspolicies]
  # patch: its finalizer, and nothing in spec.
  verbs: [get, list, watch, patch]
- apiGroups: [mtasts.io]
  resources: [mtastspolicies/status]
  verbs: [patch]
- apiGroups: [mtasts.io]
  # Owner references that block the owner's deletion need this.
  resources: [mtastspolicies/finalizers]
  verbs: [update]
- apiGroups: [""]
  # The policy ConfigMaps it writes, and the syncer reads; the TLS report windows, which every
  # replica updates over the version it read.
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [""]
  # The certificate Secrets cert-manager writes; the syncer watches only those labelled for it,
  # and a removed policy's Secret is deleted.
  resources: [secrets]
  verbs: [get, list, watch, delete]
- apiGroups: [cert-manager.io]
  resources: [certificates]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [externaldns.k8s.io]
  resources: [dnsendpoints]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* In the release's namespace: its one Lease, and the serve Service it verifies and annotates. */}}
{{- define "mta-sts-operator.releaseRules" -}}
{{- if .Values.leaderElection.enabled }}
- apiGroups: [coordination.k8s.io]
  # A create names no object, so it cannot be limited to one name.
  resources: [leases]
  verbs: [create]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [{{ include "mta-sts-operator.leaseName" . | quote }}]
  verbs: [get, update]
{{- end }}
- apiGroups: [discovery.k8s.io]
  # The serve Service's ready endpoints, each checked before a policy is announced.
  resources: [endpointslices]
  verbs: [get, list, watch]
{{- if .Values.externalDns.hostnameAnnotation }}
- apiGroups: [""]
  # external-dns's hostname annotation, kept listing every policy host.
  resources: [services]
  resourceNames: [{{ include "mta-sts-operator.serveServiceName" . | quote }}]
  verbs: [get, patch]
{{- end }}
{{- end }}
