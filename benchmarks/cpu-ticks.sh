# Sourced by bench.sh, syscalls.sh and cpu.sh: the CPU time a server has used, for CPU per request.
# CLK_TCK is the kernel's clock ticks per second, the unit of cpu_ticks and cpu_ticks_split.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks_split() { # pid: "USER KERNEL", utime and stime of the process and its children (nginx's worker), in clock ticks
  local user=0 kernel=0 p stat
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split the fields
    set -- $stat
    user=$((user + ${12}))
    kernel=$((kernel + ${13}))
  done
  echo "$user $kernel"
}
cpu_ticks() { # pid: utime+stime of the process and its children, in clock ticks; 0 once gone
  local split
  split=$(cpu_ticks_split "$1")
  echo $((${split% *} + ${split#* }))
}
cpu_ticks_threads() { # pid regex: "USER KERNEL" of the process's threads whose name (comm) matches regex, in clock ticks
  local user=0 kernel=0 t stat
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) =~ $2 ]] || continue
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086 # split the fields
    set -- $stat
    user=$((user + ${12}))
    kernel=$((kernel + ${13}))
  done
  echo "$user $kernel"
}
