# Sourced by bench.sh and syscalls.sh: the CPU time a server has used, for CPU per request.
# CLK_TCK is the kernel's clock ticks per second, the unit of cpu_ticks.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # pid: utime+stime of the process and its children (nginx's worker), in clock ticks; 0 once gone
  local total=0 p stat
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split the fields
    set -- $stat
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}
