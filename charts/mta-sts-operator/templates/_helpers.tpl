{{/* The release's objects are named after it: <release>-mta-sts-operator, or the release name when it says it already. */}}
{{- define "mta-sts-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mta-sts-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. Not app.kubernetes.io/managed-by=mta-sts-operator: that one marks what the operator itself creates. */}}
{{- define "mta-sts-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "mta-sts-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mta-sts-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mta-sts-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mta-sts-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mta-sts-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mta-sts-operator.leaseName" -}}
{{- default (include "mta-sts-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* The serve Service: the operator verifies each of its ready endpoints before it announces a policy. */}}
{{- define "mta-sts-operator.serveServiceName" -}}
{{- include "mta-sts-operator.fullname" . }}
{{- end }}
