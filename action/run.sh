#!/usr/bin/env bash
# Run one reconciler command with the flags it needs in GitHub Actions; used by
# action.yml. Inputs come as environment variables: COMMAND, CONFIG, BASE_CONFIG,
# PLAN, FORCE, REASON, CHANGES, BEFORE. The exit code is also written to the step's outputs, and `check`
# says there whether the pull request changes the config (config-changed).
set -uo pipefail

run() {
  echo "+ reconciler $*"
  reconciler "$@"
}

# Whether the pull request changes what its plan depends on: the config, a file named
# after it beside it (its saved plan, its encrypted Ledgy export) or a workflow. Told
# from the checked-out merge commit against its first parent, the base branch; when it
# cannot be told (no merge commit in the checkout), the answer is "true": a plan is
# never skipped by doubt. File names are not printed: a pull request chooses them.
config_changed() {
  local changed
  if [ -f reconciler.yaml ]; then
    # Several configs: the same rule as the matrix (its directory, the index, ...).
    if ! changed=$(reconciler configs --changed 'HEAD^1' HEAD --json); then
      echo true
    elif grep -qF "\"config\":\"$CONFIG\"" <<< "$changed"; then
      echo "this pull request changes files the plan of $CONFIG depends on" >&2
      echo true
    else
      echo "this pull request changes none of the files of $CONFIG: nothing to plan" >&2
      echo false
    fi
    return
  fi
  if ! git rev-parse -q --verify 'HEAD^2' > /dev/null 2>&1; then
    echo "not a pull request's merge commit: the plan runs" >&2
    echo true
    return
  fi
  if ! changed=$(git diff --name-only 'HEAD^1' HEAD -- "$CONFIG" "${CONFIG%.*}.*" .github/workflows/ 2> /dev/null); then
    echo "the base commit is not in the checkout (fetch-depth 2): the plan runs" >&2
    echo true
  elif [ -n "$changed" ]; then
    echo "this pull request changes $(wc -l <<< "$changed") of the files the plan depends on" >&2
    echo true
  else
    echo "this pull request changes neither $CONFIG nor its files: nothing to plan" >&2
    echo false
  fi
}

case "${COMMAND:-}" in
  check)
    run validate "$CONFIG" --format github && run test "$CONFIG" \
      && changed=$(config_changed) \
      && if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "config-changed=$changed" >> "$GITHUB_OUTPUT"; fi
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
  configs)
    args=(configs --json)
    if [ -n "${CONFIG:-}" ]; then args+=("$CONFIG"); fi
    case "${CHANGES:-none}" in
      pull_request) args+=(--changed 'HEAD^1' HEAD) ;;
      push) args+=(--changed "${BEFORE:-}" HEAD --merged) ;;
      none) ;;
      *)
        echo "::error title=reconciler action::unknown changes '${CHANGES//[^a-z_]/?}'; use pull_request, push or none"
        exit 64
        ;;
    esac
    echo "+ reconciler ${args[*]}"
    matrix=$(reconciler "${args[@]}") && echo "$matrix" \
      && if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "matrix=$matrix" >> "$GITHUB_OUTPUT"; fi
    ;;
  *)
    echo "::error title=reconciler action::unknown command '${COMMAND//[^a-z-]/?}'; use check, plan, apply, sync, drift or configs"
    false
    ;;
esac
status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$status" >> "$GITHUB_OUTPUT"; fi
exit "$status"
