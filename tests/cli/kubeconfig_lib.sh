# kubeconfig_file FILE CLUSTER USER: writes a one-context kubeconfig (context, cluster and user
# all named "fake") whose cluster and user entries are the given YAML flow maps, e.g.
#   kubeconfig_file k '{server: "http://127.0.0.1:8080"}' '{token: "t"}'
# Sourced by tests/cli/live_lib.sh and the tests that start fakekube themselves.
kubeconfig_file() {
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: $2
contexts:
- name: fake
  context: {cluster: fake, user: fake}
current-context: fake
users:
- name: fake
  user: $3
YAML
}
