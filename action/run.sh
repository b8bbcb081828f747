#!/usr/bin/env bash
# Run one reconciler command with the flags it needs in GitHub Actions; used by
# action.yml. Inputs come as environment variables: COMMAND, CONFIG, BASE_CONFIG,
# PLAN, FORCE, REASON. The exit code is also written to the step's outputs.
set -uo pipefail

run() {
  echo "+ reconciler $*"
  reconciler "$@"
}

case "${COMMAND:-}" in
  check)
    run validate "$CONFIG" --format github && run test "$CONFIG"
    ;;
  plan)
    args=(plan "$CONFIG" --comment --format json --out "${RUNNER_TEMP:-.}/plan.json")
    if [ -n "${BASE_CONFIG:-}" ]; then args+=(--base-config "$BASE_CONFIG"); fi
    run "${args[@]}"
    ;;
  apply)
    args=(apply "$CONFIG" --journal journal.jsonl)
    case "${PLAN:-}" in
      "") ;;
      hmac-sha256:* | sha256:*) args+=(--checksum "$PLAN") ;;
      *) args+=(--plan "$PLAN") ;;
    esac
    if [ "${FORCE:-false}" = "true" ]; then
      # A run started by hand with force: without a plan, it approves the plan as it is now.
      args+=(--force)
      if [ -z "${PLAN:-}" ]; then args+=(--auto-approve); fi
    elif [ -z "${PLAN:-}" ]; then
      args+=(--from-pr)
    fi
    # Who ran it by hand comes from GITHUB_ACTOR; why, from the reason (required with force).
    if [ -n "${REASON:-}" ]; then args+=(--reason "$REASON"); fi
    run "${args[@]}"
    ;;
  sync)
    run sync "$CONFIG"
    ;;
  drift)
    run plan "$CONFIG" --drift-issue
    ;;
  *)
    echo "::error title=reconciler action::unknown command '${COMMAND//[^a-z-]/?}'; use check, plan, apply, sync or drift"
    false
    ;;
esac
status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$status" >> "$GITHUB_OUTPUT"; fi
exit "$status"
